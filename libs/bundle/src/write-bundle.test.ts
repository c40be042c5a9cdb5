import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeBundle } from './write-bundle';

describe('writeBundle', () => {
  it('puts inventory.json first and sha256sums.txt last, in one top folder, checkable with sha256sum -c', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-bundle-'));
    await writeFile(join(dir, 'install.sh'), '#!/bin/sh\n');
    const written = await writeBundle({
      output: join(dir, 'out', 'b.tar.gz'),
      top: 'b-v1',
      mtime: 1700000000,
      inventory: Buffer.from('{}\n'),
      items: [
        { path: 'install.sh', file: join(dir, 'install.sh'), mode: 0o755 },
        { path: 'image/payload.tar', tar: [{ path: 'x', type: 'file', content: Buffer.from('x') }] },
        { path: 'a.txt', bytes: Buffer.from('a') },
      ],
    });
    const listing = execFileSync('tar', ['-tzf', written.file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([
      'b-v1/',
      'b-v1/inventory.json',
      'b-v1/a.txt',
      'b-v1/image/',
      'b-v1/image/payload.tar',
      'b-v1/install.sh',
      'b-v1/sha256sums.txt',
    ]);
    execFileSync('tar', ['-xzf', written.file, '-C', dir]);
    expect(execFileSync('sha256sum', ['-c', 'sha256sums.txt'], { cwd: join(dir, 'b-v1'), encoding: 'utf8' })).toContain(
      'image/payload.tar: OK',
    );
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['b.tar.gz']);
  });

  it('leaves nothing at the final path (and no temp file) when a file cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-bundle-'));
    const failing = {
      path: 'p.tar',
      tar: [
        {
          path: 'blob',
          type: 'file' as const,
          size: 10,
          content: () =>
            Readable.from(
              (async function* () {
                yield Buffer.alloc(4);
                throw new Error('disk went away');
              })(),
            ),
        },
      ],
    };
    await expect(
      writeBundle({ output: join(dir, 'b.tar'), top: 't', mtime: 0, inventory: Buffer.from('{}'), items: [failing] }),
    ).rejects.toThrow(/disk went away/);
    expect(existsSync(join(dir, 'b.tar'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
