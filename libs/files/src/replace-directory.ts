import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tempPathFor } from './atomic-write';
import { makeDirectory } from './make-directory';
import { forgetTemp } from './temp-files';

/** Moves `temp` to `dir` in place of what was there, putting back the previous `dir` if that fails. */
export async function swapDirectory(temp: string, dir: string): Promise<void> {
  // Not removed on SIGINT like other temps: for the moment between the two renames it is the only good copy. A run
  // killed there leaves it to the stale-temp sweep.
  const old = tempPathFor(dir);
  forgetTemp(old);
  const hadOld = await rename(dir, old).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  try {
    await rename(temp, dir);
  } catch (err) {
    if (hadOld) await rename(old, dir);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

/**
 * Builds a folder's new content in a temp folder beside it (`fill` writes there) and swaps it in only when `fill`
 * succeeds: a failed or interrupted build leaves the previous output as it was, and its temp folder is removed
 * (on SIGINT/SIGTERM too).
 */
export async function replaceDirectory<T>(dir: string, fill: (temp: string) => Promise<T>): Promise<T> {
  await makeDirectory(dirname(dir));
  const temp = tempPathFor(dir);
  try {
    await makeDirectory(temp);
    const result = await fill(temp);
    await swapDirectory(temp, dir);
    return result;
  } finally {
    await rm(temp, { recursive: true, force: true });
    forgetTemp(temp);
  }
}
