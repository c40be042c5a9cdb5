export { formatImportedRelease, importChartsList, type ChartsListImport, type ChartsListOptions } from './charts-list';
export { collectComponents, type CollectInput, type CollectResult } from './collect';
export type { GitAccess } from './git';
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
  type PinnedImage,
} from './lock-file';
export { pinImages, type PinImagesInput } from './pin-images';
export { pinnedDigest, readPinnedLock } from './pinned-lock';
export {
  appImageWhere,
  appShippedImages,
  describeEntry,
  namedImage,
  namedReleaseImage,
  pluginShippedImages,
  readsPayloadImages,
  releaseBaseImage,
  releaseImageEntries,
  releaseImageOrigin,
  listedImage,
  releaseShippedImages,
  syncedImage,
  type ShippedImage,
  type ShippedImages,
} from './shipped-images';
export { substitutePlaceholders } from './placeholders';
export { listRegistryTags, manifestDigest, openImageRepository, type ImageRepository } from './registry-tags';
export {
  resolveComponents,
  staleLockIssues,
  type LockCheckInput,
  type ResolveInput,
  type ResolveResult,
} from './resolve';
export { SourceError, type SourceIssue } from './source-error';
export { selectTag } from './tag-policy';
export { formatSourceIssue } from './release-project';
