// What every kind's entry points share: their options, the facts they return and the errors a front-end words.
export type { BundleFacts, BundleOptions } from './shared/bundle';
export type { ProjectSync } from './shared/sync';
export type { PublishBundleFacts, PublishBundleOptions } from './shared/publish-bundle';
export type { ResolveFacts, ResolveOptions } from './shared/resolve';
export { MissingOutputError, type Step } from './shared/missing-output';
export { PreflightError } from './shared/preflight';
export { expandLists } from './shared/image-lists';
export { hasVersions, onlyVersions, VERSIONED_KINDS, type VersionedSpec } from './shared/versions';
