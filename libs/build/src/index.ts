export { buildImages, hostPlatform, type BuildRequest, type BuildResult } from './build';
export { baseImageOpener, urlDownloader, DownloadError } from './base-images';
export { DockerfileError, dockerfileNeedsRun, findRunInstruction, parseDockerfile, type DockerInstruction, type ParsedDockerfile, type Stage } from './dockerfile';
export { GZIP_LEVEL } from './layer-builder';
export { writeBuild, type WrittenBuild } from './write-build';
export { appVersions, AppImageError, type AppVersion } from './app-image/app-versions';
export { buildAppImage, listAppImages, BUILD_RECORD, type AppImageRecord, type AppImageRequest, type BuiltArch, type BuiltVersion } from './app-image/app-image-build';
export { publishAppImage, publishPlan, publishRepositories, type PublishStep } from './app-image/app-image-publish';
export { buildReleaseImage, releaseImageDockerfile, releaseImageReference, type ReleaseImageRequest } from './release-image';
