export { fieldPath } from '@dockyard/files';

/** A problem in a project file that a person can act on: where, which field, what is wrong, what to do. */
export interface SpecIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted field path such as `components[0].tag.policy`; empty for the whole document. */
  field: string;
  message: string;
  hint?: string;
}

export function formatIssue(issue: SpecIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const field = issue.field ? `${issue.field}: ` : '';
  const hint = issue.hint ? ` (${issue.hint})` : '';
  return `${where}: ${field}${issue.message}${hint}`;
}
