import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory';

describe('makeDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'make-directory-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates missing parents and accepts a folder that exists', async () => {
    await makeDirectory(join(dir, 'a', 'b', 'c'));
    await makeDirectory(join(dir, 'a', 'b', 'c'));
    expect((await stat(join(dir, 'a', 'b', 'c'))).isDirectory()).toBe(true);
  });

  it('fails on a file in the way', async () => {
    await writeFile(join(dir, 'file'), '');
    await expect(makeDirectory(join(dir, 'file', 'sub'))).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  // Node's recursive mkdir never returns here (it retries /proc/x forever); this must fail at once.
  it('fails under /proc, where a parent exists but takes no children', async () => {
    await expect(makeDirectory('/proc/dockyard-no-such/report')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
