import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fieldPath } from '../../spec/src';
import { findWorkspaceRoot, formatIssue, loadProjectFile, type ContainerImage, type LoadedProject } from '../../spec/src';

export interface ContainerProject {
  file: string;
  dir: string;
  spec: ContainerImage;
  loaded: LoadedProject;
  /** The workspace root (nearest folder with nx.json), where `dist/` lives. */
  workspaceRoot: string;
}

/** Loads the ContainerImage project at `path` (a project.yaml or its folder); problems come back as printable lines. */
export async function loadContainerProject(path: string): Promise<{ project: ContainerProject } | { errors: string[] }> {
  const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'project.yaml') : path;
  if (!existsSync(file)) return { errors: [`${file}: no such file (pass a project.yaml or the folder holding it)`] };
  const workspaceRoot = findWorkspaceRoot(dirname(resolve(file)));
  const loaded = await loadProjectFile(resolve(file), relative(process.cwd(), resolve(file)) || file);
  if (!loaded.spec) return { errors: loaded.issues.map(formatIssue) };
  if (loaded.spec.kind !== 'ContainerImage') return { errors: [`${loaded.file}: this command works on kind ContainerImage projects; ${loaded.name} is a ${loaded.spec.kind}`] };
  return { project: { file: loaded.file, dir: loaded.dir, spec: loaded.spec, loaded, workspaceRoot } };
}

/** `dist/<name>/<step>` of the workspace. */
export function outputDir(project: ContainerProject, step: 'build' | 'check' | 'publish'): string {
  return join(project.workspaceRoot, 'dist', project.spec.name, step);
}

/** `project.yaml:LINE:COL: field` for messages about one field. */
export function fieldLocation(project: ContainerProject, field: (string | number)[]): string {
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${fieldPath(field)}`;
}
