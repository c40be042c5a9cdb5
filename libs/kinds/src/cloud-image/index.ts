// The CloudImage kind: openEuler cloud VM images prepared, built (reproducibly, without KVM), checked offline and
// published to object stores and AWS, on the engine of @dockyard/vm-image.
export type { CloudImageProject } from './project';
export { prepareProject } from './prepare';
export { buildProject, repositoriesOf, type BuildOptions } from './build';
export { checkProject, type CheckResult } from './check';
export {
  publishProject,
  resolveTargets,
  type PublishOptions,
  type PublishOutcome,
  type PublishResult,
} from './publish';
