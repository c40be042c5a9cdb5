import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git', '.nx', 'tmp', 'coverage']);

/** Every project.yaml under `root`, workspace-relative, sorted, skipping build output and dependencies. */
export async function findProjectFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.isDirectory() && !SKIP.has(entry.name)) await walk(join(dir, entry.name));
        else if (entry.isFile() && entry.name === 'project.yaml') found.push(relative(root, join(dir, entry.name)));
      }),
    );
  }
  await walk(root);
  return found.sort();
}
