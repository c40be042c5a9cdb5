import { join } from 'node:path';
import type { SpecIssue } from './errors';
import { findProjectFiles } from './find-projects';
import { loadProjectFile, type LoadedProject } from './load';
import { workspaceRules, type WorkspaceRuleOptions } from './workspace-rules';

export { BaseRefError } from './workspace-rules';

export interface WorkspaceValidation {
  projects: LoadedProject[];
  /** Every problem, per file and across files, sorted by file and line. */
  issues: SpecIssue[];
}

/** Loads every project of the workspace and applies all rules; a base ref git does not know throws a BaseRefError. */
export async function validateWorkspace(options: WorkspaceRuleOptions): Promise<WorkspaceValidation> {
  const files = await findProjectFiles(options.root);
  const projects = await Promise.all(files.map((f) => loadProjectFile(join(options.root, f), f)));
  const crossFile = await workspaceRules(projects, options);
  const issues = [...projects.flatMap((p) => p.issues), ...crossFile].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  return { projects, issues };
}
