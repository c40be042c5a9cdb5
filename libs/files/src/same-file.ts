import { stat } from 'node:fs/promises';

/** Whether both paths name one file (one inode on one device, as hard links do); false when either is missing. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return Boolean(x && y && x.ino === y.ino && x.dev === y.dev);
}
