import type { TargetConfiguration } from '@nx/devkit';
import type { ProjectFacts, TargetInference, WorkspaceFacts } from './shared';
import { validateTarget } from './validate';
import { resolveTarget } from './resolve';
import { collectTarget } from './collect';
import { imagesTarget } from './images';
import { syncTarget } from './sync';
import { bundleTarget } from './bundle';
import { publishTarget } from './publish';
import { appImageBuildTarget, appImageImagesTarget, appImagePublishTarget } from './app-image';
import { releaseImageBuildTarget } from './build';
import { containerBuildTarget, containerCheckTarget, containerPublishTarget } from './container-image';
import { cloudBuildTarget, cloudCheckTarget, cloudPrepareTarget, cloudPublishTarget } from './cloud-image';

/**
 * Target name → how to infer it, one line per kind-specific inference (several kinds have a `build`). A target
 * appears only on projects an inference of that name returns a config for; the first one that does wins.
 */
const inferences: [string, TargetInference][] = [
  ['validate', validateTarget],
  ['resolve', resolveTarget],
  ['collect', collectTarget],
  ['images', imagesTarget],
  ['sync', syncTarget],
  ['bundle', bundleTarget],
  ['publish', publishTarget],
  ['images', appImageImagesTarget],
  ['build', appImageBuildTarget],
  ['build', releaseImageBuildTarget],
  ['publish', appImagePublishTarget],
  ['build', containerBuildTarget],
  ['check', containerCheckTarget],
  ['publish', containerPublishTarget],
  ['prepare', cloudPrepareTarget],
  ['build', cloudBuildTarget],
  ['check', cloudCheckTarget],
  ['publish', cloudPublishTarget],
];

export function inferTargets(
  project: ProjectFacts,
  workspace: WorkspaceFacts = { sharedStore: false },
): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const [name, infer] of inferences) {
    if (targets[name]) continue;
    const target = project.spec || name === 'validate' ? infer(project, workspace) : undefined;
    if (target) targets[name] = target;
  }
  return targets;
}
