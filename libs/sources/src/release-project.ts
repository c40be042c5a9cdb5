import { fieldPath, type LoadedProject } from '@dockyard/project-spec';
import type { SourceIssue } from './source-error';

/** `FILE:LINE:COL: field: message (hint)`, pointing into project.yaml or at the named file. */
export function formatSourceIssue(issue: SourceIssue, project: { file: string; loaded: LoadedProject }): string {
  const hint = issue.hint ? ` (${issue.hint})` : '';
  if (issue.file) return `${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}${hint}`;
  const field = issue.field ?? [];
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${field.length ? `${fieldPath(field)}: ` : ''}${issue.message}${hint}`;
}
