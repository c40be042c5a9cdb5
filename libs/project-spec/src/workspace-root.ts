import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder at or above `from` holding nx.json, undefined when there is none. */
export function workspaceRootOf(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The nearest folder at or above `from` holding nx.json; `from` itself when there is none. */
export function findWorkspaceRoot(from = process.cwd()): string {
  return workspaceRootOf(from) ?? resolve(from);
}
