import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DockyardError } from '@dockyard/errors';

/** The list files `patterns` name from `baseDir`; wildcards are allowed in the file name only (images/*.list). */
export async function expandLists(patterns: string[], baseDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      files.push(resolve(baseDir, pattern));
      continue;
    }
    // Node 20 has no fs.glob.
    const dir = resolve(baseDir, dirname(pattern));
    const name = new RegExp(
      `^${basename(pattern)
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    const entries = await readdir(dir).catch(() => [] as string[]);
    const matched = entries.filter((entry) => name.test(entry)).map((entry) => join(dir, entry));
    if (matched.length === 0)
      throw new DockyardError(`no image list matches ${pattern} in ${baseDir}`, { code: 'LIST_UNMATCHED' });
    files.push(...matched.sort());
  }
  return files;
}
