import { usesLock } from './resolve';
import { CLI, type TargetInference, outputsOf, shownOutputs } from './shared';

/**
 * `sync` copies the project's images to its registries. It writes to remote registries, so it
 * is never cached; re-running is cheap because unchanged images cost two HEAD requests. Without
 * `sync.lists` a Release syncs what its `images` target listed, so it runs after it; the images of a
 * Release or Plugin are copied by the digests `resolve` pinned, so it runs after that.
 */
export const syncTarget: TargetInference = (project) => {
  const spec = project.spec;
  if ((spec?.kind !== 'Release' && spec?.kind !== 'Plugin') || !spec.sync) return undefined;
  const usesImagesOutput = spec.kind === 'Release' && !spec.sync.lists?.length && (spec.components ?? []).length > 0;
  // A Release's images target runs after resolve already; the digests sync copies by come from the lock.
  const dependsOn = usesImagesOutput ? ['images'] : usesLock(spec) ? ['resolve'] : [];
  const command = `${CLI} sync ${project.root}/project.yaml`;
  return {
    command,
    cache: false,
    ...(dependsOn.length ? { dependsOn } : {}),
    outputs: [outputsOf(project).sync],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: {
      description: `Copy ${project.name}'s images from ${spec.sync.from.registry} to ${spec.sync.to.map((t) => t.registry).join(', ')}; misses are listed in ${shownOutputs(project).sync} (use -c dry-run to preview)`,
    },
  };
};
