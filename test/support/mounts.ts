import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mount points at or below `dir`, deepest first (from /proc/self/mountinfo). */
async function mountPointsUnder(dir: string): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined && (point === dir || point.startsWith(`${dir}/`)))
    .map((point) => point.replace(/\\040/g, ' '))
    .sort((a, b) => b.length - a.length);
}

/**
 * Lazily unmounts everything under `dir`. dockerd bind-mounts its data root (and netns
 * files under its exec root) and only undoes that on a clean shutdown; after a SIGKILL
 * the mounts stay and would make the temp dir impossible to remove.
 */
export async function unmountAllUnder(dir: string): Promise<void> {
  for (const point of await mountPointsUnder(dir)) {
    await run('umount', ['-l', point]).catch(() => undefined);
  }
}
