import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceDirectory } from './replace-directory';

describe('replaceDirectory', () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('swaps the new content in on success and keeps the old content, untouched, on failure', async () => {
    root = await mkdtemp(join(tmpdir(), 'replace-dir-'));
    const dir = join(root, 'out');
    expect(await replaceDirectory(dir, (temp) => writeFile(join(temp, 'a.txt'), 'first').then(() => 'done'))).toBe(
      'done',
    );
    await expect(
      replaceDirectory(dir, async (temp) => {
        await writeFile(join(temp, 'a.txt'), 'half');
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('first');
    await replaceDirectory(dir, (temp) => writeFile(join(temp, 'b.txt'), 'second'));
    expect(await readdir(dir)).toEqual(['b.txt']);
    expect(await readdir(root)).toEqual(['out']);
  });
});
