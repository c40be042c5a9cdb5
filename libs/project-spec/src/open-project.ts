import { statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { formatIssue } from './errors';
import { findProjectFiles } from './find-projects';
import { loadProjectFile, type LoadedProject } from './load';
import { outputPaths, type OutputPaths } from './output-paths';
import { registryAccess, type RegistryAccess } from './registry-access';
import type { Kind, ProjectSpec } from './types';
import { findWorkspaceRoot, workspaceRootOf } from './workspace-root';

/** A valid project, opened: its spec, where it lives, where its steps write and how it reaches its registries. */
export interface OpenedProject<S extends ProjectSpec = ProjectSpec> {
  spec: S;
  name: string;
  /** project.yaml as messages name it: relative to the folder the project was opened from. */
  file: string;
  /** The project's folder (absolute). */
  dir: string;
  /** The workspace root (nearest folder with nx.json, else the project's folder), where `dist/` lives. */
  workspaceRoot: string;
  outputs: OutputPaths;
  registries: RegistryAccess;
  /** The file as read, for pointing at a field's line. */
  loaded: LoadedProject;
}

/** The project.yaml `arg` names in `cwd`, if it names one by path. */
function projectFileAt(arg: string, cwd: string): string {
  const path = resolve(cwd, arg);
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'project.yaml') : path;
}

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The workspace-relative project.yaml of the project called `name` in the workspace at `root`, if any. */
export async function projectNamed(root: string, name: string): Promise<string | undefined> {
  for (const file of await findProjectFiles(root)) {
    if ((await loadProjectFile(resolve(root, file), file)).name === name) return file;
  }
  return undefined;
}

/** The absolute project.yaml that `arg` (a folder, a project.yaml, or a project's name) names from `cwd`. */
export async function findProject(arg: string, cwd: string): Promise<string> {
  const file = projectFileAt(arg, cwd);
  if (isFile(file)) return file;
  const shown = relative(cwd, file) || file;
  const isName = !arg.includes('/') && !arg.includes(sep) && !statSync(resolve(cwd, arg), { throwIfNoEntry: false });
  const root = isName ? workspaceRootOf(cwd) : undefined;
  const found = root ? await projectNamed(root, arg) : undefined;
  if (root && found) return resolve(root, found);
  throw new DockyardError(
    root
      ? `${shown}: no such file, and no project named "${arg}" in the workspace at ${root}`
      : isName
        ? `${shown}: no such file, and no workspace (nx.json) around ${cwd} to look the name "${arg}" up in`
        : `${shown}: no such file`,
    { code: 'PROJECT_NOT_FOUND', hint: 'a project is named by its project.yaml, the folder holding it, or its name' },
  );
}

/**
 * Opens the project `arg` names from `cwd` (default: the project in `cwd`): a folder holding project.yaml, a path to
 * one, or a project's name in the workspace around `cwd`. With `kinds`, only a project of one of them is accepted.
 * Throws a DockyardError: PROJECT_NOT_FOUND, PROJECT_INVALID (the message lists every problem as FILE:LINE:COL)
 * or PROJECT_KIND.
 */
export async function openProject<K extends Kind = Kind>(
  arg: string | undefined,
  cwd: string,
  kinds?: readonly K[],
): Promise<OpenedProject<Extract<ProjectSpec, { kind: K }>>> {
  const path = await findProject(arg ?? '.', cwd);
  const loaded = await loadProjectFile(path, relative(cwd, path) || path);
  if (!loaded.spec) throw new DockyardError(loaded.issues.map(formatIssue).join('\n'), { code: 'PROJECT_INVALID' });
  if (kinds && !kinds.includes(loaded.spec.kind as K))
    throw new DockyardError(
      `${loaded.file}: ${loaded.name} is a ${loaded.spec.kind}; this works on ${kinds.join(', ')} projects`,
      { code: 'PROJECT_KIND' },
    );
  const spec = loaded.spec as Extract<ProjectSpec, { kind: K }>;
  const dir = dirname(path);
  const workspaceRoot = findWorkspaceRoot(dir);
  return {
    spec,
    name: spec.name,
    file: loaded.file,
    dir,
    workspaceRoot,
    outputs: outputPaths(workspaceRoot, spec.name),
    registries: registryAccess(spec),
    loaded,
  };
}

/** Narrows an opened project to one kind. */
export function isKind<K extends Kind>(
  project: OpenedProject,
  kind: K,
): project is OpenedProject<Extract<ProjectSpec, { kind: K }>> {
  return project.spec.kind === kind;
}
