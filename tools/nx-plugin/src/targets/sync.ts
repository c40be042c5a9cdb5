import { CLI, type TargetInference } from './shared';

/**
 * `sync` copies the project's images to its registries. It writes to remote registries, so it
 * is never cached; re-running is cheap because unchanged images cost two HEAD requests. Without
 * `sync.lists` a Release syncs what its `images` target listed, so it runs after it.
 */
export const syncTarget: TargetInference = (project) => {
  const spec = project.spec;
  if ((spec?.kind !== 'Release' && spec?.kind !== 'Plugin') || !spec.sync) return undefined;
  const usesImagesOutput = spec.kind === 'Release' && !spec.sync.lists?.length && (spec.components ?? []).length > 0;
  const command = `${CLI} sync --project ${project.root}/project.yaml`;
  return {
    command,
    cache: false,
    ...(usesImagesOutput ? { dependsOn: ['images'] } : {}),
    outputs: [`{workspaceRoot}/dist/${project.name}/sync`],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: {
      description: `Copy ${project.name}'s images from ${spec.sync.from.registry} to ${spec.sync.to.map((t) => t.registry).join(', ')}; misses are listed in dist/${project.name}/sync (use -c dry-run to preview)`,
    },
  };
};
