import { formatIssue } from './errors';
import type { WorkspaceValidation } from './workspace';

/** What `validate` prints for some project files of a validated workspace, and whether they passed. */
export interface ValidationReport {
  checked: number;
  problems: string[];
  summary: string;
}

export function reportFor(validation: WorkspaceValidation, inScope: (file: string) => boolean): ValidationReport {
  const problems = validation.issues.filter((i) => inScope(i.file)).map(formatIssue);
  const checked = validation.projects.filter((p) => inScope(p.file)).length;
  return { checked, problems, summary: summaryLine(checked, problems.length) };
}

/** `N projects checked, M problems`, the last line of every validation. */
export function summaryLine(checked: number, problems: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(checked, 'project')} checked, ${plural(problems, 'problem')}`;
}
