import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { formatLockFile } from '@dockyard/sources';
import { git } from '../../../test/support/git-repos';
import { tempDirFor } from '../../../test/support/tmp';
import { inventoryImages, lockImagesAt, lockImagesHere } from './release-images';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const lock = (images: Record<string, string>) =>
  formatLockFile({
    project: 'oem',
    components: {},
    images: Object.fromEntries(
      Object.entries(images).map(([n, d]) => [n, { source: `r.example.com/${n}`, digest: d }]),
    ),
  });

describe('release images', () => {
  it('reads an inventory by name, says nothing of a missing one, and names a file that is not one', async () => {
    const dir = await tempDirFor(onTestFinished, 'release-images');
    const file = join(dir, 'inventory.json');
    expect(await inventoryImages(file)).toBeUndefined();
    await writeFile(file, JSON.stringify({ schemaVersion: 1, images: [{ name: 'a:1', digest: digest('a') }] }));
    expect(await inventoryImages(file)).toEqual(new Map([['a:1', digest('a')]]));
    await writeFile(file, JSON.stringify({ images: 'no' }));
    await expect(inventoryImages(file)).rejects.toThrow(`${file}: not a dockyard inventory`);
  });

  it('reads the lock as committed at a revision and in the work tree', async () => {
    const dir = await tempDirFor(onTestFinished, 'release-images-git');
    await git(dir, 'init', '--quiet', '--initial-branch=main');
    const first = await commitLocal(dir, { 'rel/project.lock.yaml': lock({ 'a:1': digest('a') }) });
    await writeFile(join(dir, 'rel/project.lock.yaml'), lock({ 'a:1': digest('b') }));
    expect(await lockImagesAt(dir, first, 'rel')).toEqual(new Map([['a:1', digest('a')]]));
    expect(await lockImagesHere(dir, 'rel')).toEqual(new Map([['a:1', digest('b')]]));
    expect(await lockImagesAt(dir, first, 'other')).toBeUndefined();
    expect(await lockImagesHere(dir, 'other')).toBeUndefined();
    await expect(lockImagesAt(dir, 'no-such-revision', 'rel')).rejects.toMatchObject({ code: 'GIT_SHOW' });
  });
});

async function commitLocal(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', 'lock');
  return git(dir, 'rev-parse', 'HEAD');
}
