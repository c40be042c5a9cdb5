import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contextEntries } from './context-files';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

describe('contextEntries', () => {
  it('lists a folder as relative tar entries: directories, files with their size and mode, symlinks', async () => {
    root = await mkdtemp(join(tmpdir(), 'c11-ctx-'));
    await mkdir(join(root, 'conf'));
    await writeFile(join(root, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(root, 'conf', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await symlink('run.sh', join(root, 'conf', 'start'));
    const entries = await contextEntries(root);
    expect(entries.map((e) => [e.path, e.type, e.size, e.linkpath])).toEqual([
      ['Dockerfile', 'file', 13, undefined],
      ['conf', 'directory', undefined, undefined],
      ['conf/run.sh', 'file', 10, undefined],
      ['conf/start', 'symlink', undefined, 'run.sh'],
    ]);
    expect(entries[2]!.mode).toBe(0o755);
  });
});
