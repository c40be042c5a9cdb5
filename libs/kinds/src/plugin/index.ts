// The Plugin kind: a service image and its images, locked, synced, bundled as a plugin package and published.
export type { PluginProject } from './project';
export { resolveProject } from './resolve';
export { syncPlan, pinnedToLock } from '../shared/sync';
export { bundleProject } from './bundle';
export { publishBundle as publishProject } from '../shared/publish-bundle';
