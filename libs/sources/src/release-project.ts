import {
  fieldPath,
  loadProjectOfKind,
  type AppImage,
  type Plugin,
  type ProjectOfKind,
  type Release,
} from '@dockyard/project-spec';
import type { SourceIssue } from './source-error';

export type ReleaseProject = ProjectOfKind<Release>;
/** A project whose shipped images `resolve` pins in its lock. */
export type LockedProject = ProjectOfKind<Release | Plugin | AppImage>;

/** Loads the Release project at `path` (a project.yaml or its folder); problems come back as printable lines. */
export function loadReleaseProject(path: string): Promise<{ project: ReleaseProject } | { errors: string[] }> {
  return loadProjectOfKind(path, 'Release');
}

export function loadLockedProject(path: string): Promise<{ project: LockedProject } | { errors: string[] }> {
  return loadProjectOfKind(path, ['Release', 'Plugin', 'AppImage']);
}

/** `FILE:LINE:COL: field: message (hint)`, pointing into project.yaml or at the named file. */
export function formatSourceIssue(issue: SourceIssue, project: Pick<LockedProject, 'file' | 'loaded'>): string {
  const hint = issue.hint ? ` (${issue.hint})` : '';
  if (issue.file) return `${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}${hint}`;
  const field = issue.field ?? [];
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${field.length ? `${fieldPath(field)}: ` : ''}${issue.message}${hint}`;
}
