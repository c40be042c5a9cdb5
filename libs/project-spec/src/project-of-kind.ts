import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { formatIssue } from './errors';
import { loadProjectFile, type LoadedProject } from './load';
import type { Kind, ProjectSpec } from './types';
import { findWorkspaceRoot } from './workspace-root';

/** A valid project of one kind, with where it lives. */
export interface ProjectOfKind<S extends ProjectSpec> {
  file: string;
  dir: string;
  spec: S;
  loaded: LoadedProject;
  /** The workspace root (nearest folder with nx.json), where `dist/` lives. */
  workspaceRoot: string;
}

/** Loads the project at `path` (a project.yaml or its folder) when it is a valid `kind` (or one of several); problems come back as printable lines. */
export async function loadProjectOfKind<K extends Kind>(
  path: string,
  kind: K | readonly K[],
): Promise<{ project: ProjectOfKind<Extract<ProjectSpec, { kind: K }>> } | { errors: string[] }> {
  const kinds: readonly Kind[] = typeof kind === 'string' ? [kind] : kind;
  const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'project.yaml') : path;
  if (!existsSync(file)) return { errors: [`${file}: no such file (pass a project.yaml or the folder holding it)`] };
  const workspaceRoot = findWorkspaceRoot(dirname(resolve(file)));
  const loaded = await loadProjectFile(resolve(file), relative(process.cwd(), resolve(file)) || file);
  if (!loaded.spec) return { errors: loaded.issues.map(formatIssue) };
  if (!kinds.includes(loaded.spec.kind))
    return {
      errors: [
        `${loaded.file}: this command works on kind ${kinds.join(', ')} projects; ${loaded.name} is a ${loaded.spec.kind}`,
      ],
    };
  const spec = loaded.spec as Extract<ProjectSpec, { kind: K }>;
  return { project: { file: loaded.file, dir: loaded.dir, spec, loaded, workspaceRoot } };
}
