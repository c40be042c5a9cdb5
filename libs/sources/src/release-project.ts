import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fieldPath, findWorkspaceRoot, formatIssue, loadProjectFile, type LoadedProject, type Release } from '../../spec/src';
import type { SourceIssue } from './source-error';

export interface ReleaseProject {
  file: string;
  dir: string;
  spec: Release;
  loaded: LoadedProject;
  /** The workspace root (nearest folder with nx.json), where `dist/` lives. */
  workspaceRoot: string;
}

/** Loads the Release project at `path` (a project.yaml or its folder); problems come back as printable lines. */
export async function loadReleaseProject(path: string): Promise<{ project: ReleaseProject } | { errors: string[] }> {
  const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'project.yaml') : path;
  if (!existsSync(file)) return { errors: [`${file}: no such file (pass a project.yaml or the folder holding it)`] };
  const workspaceRoot = findWorkspaceRoot(dirname(resolve(file)));
  const loaded = await loadProjectFile(resolve(file), relative(process.cwd(), resolve(file)) || file);
  if (!loaded.spec) return { errors: loaded.issues.map(formatIssue) };
  if (loaded.spec.kind !== 'Release') return { errors: [`${loaded.file}: this command works on kind Release projects; ${loaded.name} is a ${loaded.spec.kind}`] };
  return { project: { file: loaded.file, dir: loaded.dir, spec: loaded.spec, loaded, workspaceRoot } };
}

/** `FILE:LINE:COL: field: message (hint)`, pointing into project.yaml or at the named file. */
export function formatSourceIssue(issue: SourceIssue, project: ReleaseProject): string {
  const hint = issue.hint ? ` (${issue.hint})` : '';
  if (issue.file) return `${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}${hint}`;
  const field = issue.field ?? [];
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${field.length ? `${fieldPath(field)}: ` : ''}${issue.message}${hint}`;
}
