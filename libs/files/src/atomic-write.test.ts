import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkFileAtomic, streamToFileAtomic, writeFileAtomic } from './atomic-write';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-write-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces a file, creating its folder, and leaves no temp file', async () => {
    const path = join(dir, 'out', 'lock.yaml');
    await writeFileAtomic(path, 'old\n');
    await writeFileAtomic(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(join(dir, 'out'))).toEqual(['lock.yaml']);
  });

  it('keeps the old file and removes the temp file when the stream fails', async () => {
    const path = join(dir, 'blob');
    await writeFile(path, 'old');
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('digest mismatch'));
      },
    });
    await expect(streamToFileAtomic(path, failing)).rejects.toThrow('digest mismatch');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['blob']);
  });

  it('links a file over another: one inode, no temp file left', async () => {
    const from = join(dir, 'blob');
    const path = join(dir, 'out', 'bundle.tar');
    await writeFile(from, 'bundle bytes');
    await writeFileAtomic(path, 'stale');
    await linkFileAtomic(from, path);
    expect(await readFile(path, 'utf8')).toBe('bundle bytes');
    expect((await stat(path)).ino).toBe((await stat(from)).ino);
    expect(await readdir(join(dir, 'out'))).toEqual(['bundle.tar']);
  });

  it('keeps what is there and removes the temp file when the final rename fails', async () => {
    const path = join(dir, 'report');
    await mkdir(path);
    await writeFile(join(path, 'kept.txt'), 'previous');
    // A file cannot be renamed over a non-empty folder, so the write fails after the temp file is complete.
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(await readFile(join(path, 'kept.txt'), 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['report']);
  });

  it('streams content into place', async () => {
    const path = join(dir, 'blob');
    await streamToFileAtomic(path, Readable.from([Buffer.from('a'), Buffer.from('b')]));
    expect(await readFile(path, 'utf8')).toBe('ab');
  });
});
