import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ignoreRules } from './ignore-rules';

/** The file that makes a folder a Dockyard project; the Nx plugin globs for it (`**\/project.yaml`). */
export const PROJECT_FILE = 'project.yaml';

/** A read-only view of a workspace, by workspace-relative POSIX paths ('' is the root). */
export interface WorkspaceTree {
  /** Entries of a folder; symbolic links are neither files nor folders (Nx's walker does not follow them). */
  entries(dir: string): { name: string; kind: 'file' | 'directory' | 'other' }[];
  /** A file's text, undefined when it does not exist. */
  read(file: string): string | undefined;
}

/**
 * The workspace's projects as Nx sees them: every project.yaml not ignored by the cascading `.gitignore`
 * and `.nxignore` files (see ignore-rules.ts), workspace-relative and sorted. The CLI, the validate
 * executor and the generators all list projects through this, so they agree with Nx's own glob.
 */
export function listProjectFiles(tree: WorkspaceTree): string[] {
  const rules = ignoreRules((file) => tree.read(file));
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of tree.entries(dir)) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.kind === 'directory') {
        if (!rules.ignoresEntry(`${path}/`)) walk(path);
      } else if (entry.kind === 'file' && entry.name === PROJECT_FILE && !rules.ignoresEntry(path)) {
        found.push(path);
      }
    }
  };
  walk('');
  return found.sort();
}

/** The workspace under `root` on disk. A folder that cannot be read holds no projects instead of failing the listing. */
export function diskTree(root: string): WorkspaceTree {
  return {
    entries(dir) {
      try {
        return readdirSync(join(root, dir), { withFileTypes: true }).map((e) => ({
          name: e.name,
          kind: e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
        }));
      } catch (err) {
        if (['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return [];
        throw err;
      }
    },
    read(file) {
      try {
        return readFileSync(join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** Every project.yaml of the workspace at `root` on disk, as Nx sees them. */
export async function findProjectFiles(root: string): Promise<string[]> {
  return listProjectFiles(diskTree(root));
}
