import { lstat, lutimes, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every path below `root` ('' for the root itself), sorted, so what is derived from the list is the same on
 * every machine whatever order the host filesystem lists folders in.
 */
export async function listTree(root: string): Promise<string[]> {
  const paths: string[] = [''];
  async function walk(relative: string): Promise<void> {
    const names = (await readdir(join(root, relative))).sort();
    for (const name of names) {
      const path = relative ? `${relative}/${name}` : name;
      paths.push(path);
      if ((await lstat(join(root, path))).isDirectory()) await walk(path);
    }
  }
  await walk('');
  return paths.sort();
}

/**
 * Clamps every modification time after `epoch` to `epoch` (what the build touched: dnf's files, the cloud
 * settings), as reproducible-builds.org asks of SOURCE_DATE_EPOCH; the base's older times stay. Access times are
 * set to the modification time, so reading the tree during the build leaves no trace.
 */
export async function clampTreeTimes(root: string, paths: readonly string[], epoch: number): Promise<void> {
  // Children first: setting a file's times does not touch its folder's, but a later clamp must not be undone.
  for (const path of [...paths].reverse()) {
    const full = join(root, path);
    const info = await lstat(full);
    const mtime = info.mtimeMs / 1000 > epoch ? epoch : info.mtime;
    await lutimes(full, mtime, mtime);
  }
}
