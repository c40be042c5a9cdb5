// The Release kind: components collected and their images listed, locked, synced, bundled as an offline installer
// (with the plugins and AppImages it ships), its own release image built, the bundle published.
export type { ReleaseProject } from './project';
export { collectProject, type CollectFacts } from './collect';
export { listProjectImages, type ImagesFacts } from './images';
export { resolveProject } from './resolve';
export { syncPlan, pinnedToLock } from '../shared/sync';
export { bundleProject } from './bundle';
export { buildProject, type ReleaseBuildOptions } from './build';
export { publishBundle as publishProject } from '../shared/publish-bundle';
