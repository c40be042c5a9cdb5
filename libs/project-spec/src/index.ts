export * from './types';
export { fieldPath, formatIssue, type SpecIssue } from './errors';
export { parseProject, loadProjectFile, type LoadedProject } from './load';
export { findProjectFiles, listProjectFiles, PROJECT_FILE, type WorkspaceTree } from './find-projects';
export { findWorkspaceRoot, workspaceRootOf } from './workspace-root';
export { BaseRefError, validateWorkspace, type WorkspaceValidation } from './workspace';
export { reportFor, summaryLine, type ValidationReport } from './report';
export { SCHEMA_DIR, SCHEMA_FILE } from './schemas';
export { nameKey, projectClaims, type Claim } from './claims';
export {
  FIRST_PLUGIN_PORT,
  freePort,
  pluginClaims,
  pluginImage,
  portOwner,
  slotOwner,
  type PluginClaims,
} from './plugin-rules';
export { projectYaml, SCHEMA_FOLDER } from './project-yaml';
export { builtReleaseImage, bundledReleaseImage } from './release-image';
export { findProject, isKind, openProject, projectNamed, type OpenedProject } from './open-project';
export {
  BUILD_RECORD,
  OCI_INDEX_FILE,
  OCI_LAYOUT_FILE,
  outputPaths,
  outputsRoot,
  RELEASE_IMAGE_RECORD,
  type OutputPaths,
} from './output-paths';
export { registryAccess, repositoryHost, type RegistryAccess } from './registry-access';
export { PATH_RULES } from './path-rules';
