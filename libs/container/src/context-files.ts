import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { TarEntry } from '@dockyard/oci';

/** A build-context folder as tar entries (files streamed when the context is sent), paths relative to `root`. */
export async function contextEntries(root: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const info = await lstat(path);
      const member = relative(root, path);
      const mode = info.mode & 0o7777;
      if (info.isDirectory()) {
        entries.push({ path: member, type: 'directory', mode });
        await walk(path);
      } else if (info.isSymbolicLink()) {
        entries.push({ path: member, type: 'symlink', linkpath: await readlink(path) });
      } else if (info.isFile()) {
        entries.push({ path: member, type: 'file', mode, size: info.size, content: () => createReadStream(path) });
      }
    }
  }
  await walk(root);
  return entries;
}
