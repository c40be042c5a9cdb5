import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git', '.nx', 'tmp', 'coverage']);

/** Folder prefixes listed in .nxignore, so the CLI sees the same projects as Nx (plain folder lines only). */
async function ignoredFolders(root: string): Promise<string[]> {
  const text = await readFile(join(root, '.nxignore'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => line.trim().replace(/^\//, '').replace(/\/$/, ''))
    .filter((line) => line && !line.startsWith('#') && !/[*?[!]/.test(line));
}

/** Every project.yaml under `root`, workspace-relative, sorted, skipping build output, dependencies and .nxignore'd folders. */
export async function findProjectFiles(root: string): Promise<string[]> {
  const ignored = new Set(await ignoredFolders(root));
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && !SKIP.has(entry.name) && !ignored.has(relative(root, path))) await walk(path);
        else if (entry.isFile() && entry.name === 'project.yaml') found.push(relative(root, join(dir, entry.name)));
      }),
    );
  }
  await walk(root);
  return found.sort();
}
