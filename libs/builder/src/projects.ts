/**
 * Builds of Dockyard projects on the builder: AppImage (sealos) versions and the Release image. A second entry
 * point beside index.ts, because these load libs/discover and libs/project-spec (~0.3 s) that a plain `dockyard build` never needs.
 */
export { appVersions, AppImageError, type AppVersion } from './app-image/app-versions';
export {
  buildAppImage,
  listAppImages,
  BUILD_RECORD,
  type AppImageRecord,
  type AppImageRequest,
  type BuiltArch,
  type BuiltVersion,
  type ImagePin,
} from './app-image/app-image-build';
export { publishAppImage, publishPlan, publishRepositories, type PublishStep } from './app-image/app-image-publish';
export {
  buildReleaseImage,
  releaseImageDockerfile,
  releaseImageReference,
  type ReleaseImageRequest,
} from './release-image';
