export * from './types';
export { formatIssue, type SpecIssue } from './errors';
export { parseProject, loadProjectFile, type LoadedProject } from './load';
export { findProjectFiles } from './find-projects';
export { findWorkspaceRoot } from './workspace-root';
export { validateWorkspace, type WorkspaceValidation } from './workspace';
export { reportFor, type ValidationReport } from './report';
export { SCHEMA_DIR, SCHEMA_FILE } from './schemas';
