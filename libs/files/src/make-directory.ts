import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * `mkdir -p` that fails instead of spinning: Node 20's `mkdir(…, { recursive: true })` loops forever
 * at full CPU when a parent exists but refuses children with ENOENT (`/proc/x`). Errors name the folder.
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await isDirectory(dir))) return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeDirectory(parent);
  }
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await isDirectory(dir))) return;
    throw err;
  }
}
