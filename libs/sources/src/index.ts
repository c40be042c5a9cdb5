export { formatImportedRelease, importChartsList, type ChartsListImport, type ChartsListOptions } from './charts-list';
export { collectComponents, type CollectInput, type CollectResult } from './collect';
export { gitUrl } from './component-source';
export { gitEnvironment, type GitAccess } from './git';
export { withGitPaths } from './git-fetch';
export { listGitTags } from './git-tags';
export { downloadHelmChart, resolveHelmChart, type HelmChartVersion } from './helm-repository';
export {
  describeLockChanges,
  formatLockFile,
  LOCK_FILE_NAME,
  lockFilePath,
  parseLockFile,
  readLockFile,
  writeLockFile,
  type LockedComponent,
  type LockFile,
} from './lock-file';
export { substitutePlaceholders } from './placeholders';
export { listRegistryTags, manifestDigest, openImageRepository, parseRepository, type ImageRepository } from './registry-tags';
export { lockedEntrySatisfies, resolveComponents, staleLockIssues, type LockCheckInput, type ResolveInput, type ResolveResult } from './resolve';
export { SourceError, type SourceIssue } from './source-error';
export { newestFirst, selectTag } from './tag-policy';
export { formatSourceIssue, loadReleaseProject, type ReleaseProject } from './release-project';
