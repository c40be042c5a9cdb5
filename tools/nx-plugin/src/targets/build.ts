import { builtReleaseImage } from '@dockyard/project-spec';
import { usesLock } from './resolve';
import { CLI, ENGINE_INPUTS, type TargetInference, outputsOf, shownOutputs } from './shared';

/**
 * A Release's `build`: the release image from its `build:` section, made from the collect output and the image
 * lists, so it runs after `images` (which runs after `collect`), and from the base `resolve` pinned. It pushes to the
 * build registry, so it is not cached. With a shared store its layout's blobs are kept there, and its outputs are only
 * the layout's small files (index.json, oci-layout, release-image.json).
 */
export const releaseImageBuildTarget: TargetInference = (project, workspace) => {
  const spec = project.spec;
  if (spec?.kind !== 'Release' || !spec.build) return undefined;
  const command = `${CLI} build ${project.root}`;
  const dependsOn = [...(usesLock(spec) ? ['resolve'] : []), ...((spec.components ?? []).length ? ['images'] : [])];
  return {
    command,
    cache: false,
    ...(dependsOn.length ? { dependsOn } : {}),
    inputs: ['{projectRoot}/**/*', ...ENGINE_INPUTS],
    outputs: workspace?.sharedStore ? outputsOf(project).releaseImageRecords : [outputsOf(project).releaseImage],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: {
      description: `Build ${project.name}'s release image and push it to ${builtReleaseImage(spec)} (a copy lands in ${shownOutputs(project).releaseImage}/; -c dry-run pushes nothing)`,
    },
  };
};
