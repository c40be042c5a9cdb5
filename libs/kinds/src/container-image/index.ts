// The ContainerImage kind: openEuler base images and meta.yml app images, built per arch (RUN through a Docker
// engine, else daemonless), checked in the engine, published to every registry at once.
export type { ContainerProject } from './project';
export { prepareProject } from './prepare';
export { buildProject, type BuildOptions } from './build';
export { checkProject, type CheckOptions, type CheckResult } from './check';
export { publishProject, type PublishOptions, type PublishResult, type RegistryOutcome } from './publish';
export { importImageTree, type ImportOptions, type ImportedImage } from './import-tree';
