// The AppImage kind: sealos-style cluster images, one per version and arch, built daemonless with the images
// their charts run carried in registry/.
export type { AppImageProject } from './project';
export {
  buildProject,
  listProjectImages,
  publishProject,
  resolveProject,
  type AppImageOptions,
  type ListedImages,
} from './entry-points';
export type { BuiltVersion } from './build';
