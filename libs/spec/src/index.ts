export * from './types';
export { formatIssue, type SpecIssue } from './errors';
export { parseProject, loadProjectFile, type LoadedProject } from './load';
export { findProjectFiles, listProjectFiles, PROJECT_FILE, type WorkspaceTree } from './find-projects';
export { findWorkspaceRoot, workspaceRootOf } from './workspace-root';
export { BaseRefError, validateWorkspace, type WorkspaceValidation } from './workspace';
export { reportFor, summaryLine, type ValidationReport } from './report';
export { SCHEMA_DIR, SCHEMA_FILE } from './schemas';
export { FIRST_PLUGIN_PORT, freePort, pluginClaims, pluginImage, portOwner, slotOwner, type PluginClaims } from './plugin-rules';
