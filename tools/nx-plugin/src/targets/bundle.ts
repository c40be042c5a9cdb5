import { posix } from 'node:path';
import { CLI, ENGINE_INPUTS, type TargetInference } from './shared';

/**
 * `bundle` writes a Release's offline installer or a Plugin's package. The bundle is a pure
 * function of project.yaml, the lock, the images target's list, the bundle files and the image
 * digests, so it is cached on those (a tag moved in the registry without a project change is
 * what `resolve` pins against). A Release runs after its `images` target, after the bundles of
 * the plugins it ships (`^bundle`), which it carries under plugins/, and after the builds of the
 * AppImages it ships (`^build`), carried under apps/.
 */
export const bundleTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'Release' && spec?.kind !== 'Plugin') return undefined;
  const release = spec.kind === 'Release' ? spec : undefined;
  const buildsItsImage = Boolean(release?.build && !release.bundle?.releaseImage);
  const dependsOn = [...((release?.components ?? []).length ? ['images'] : []), ...(buildsItsImage ? ['build'] : []), ...((release?.ships?.plugins ?? []).length ? ['^bundle'] : []), ...((release?.ships?.appImages ?? []).length ? ['^build'] : [])];
  const files = (release?.bundle?.files ?? []).filter((f) => f.from).map((f) => `{workspaceRoot}/${posix.normalize(posix.join(project.root, f.from!))}`);
  return {
    command: `${CLI} bundle ${project.root}`,
    cache: true,
    ...(dependsOn.length ? { dependsOn } : {}),
    inputs: [
      '{projectRoot}/project.yaml',
      '{projectRoot}/project.lock.yaml',
      ...files,
      ...(dependsOn.length ? [{ dependentTasksOutputFiles: '**/*' }] : []),
      { env: 'SOURCE_DATE_EPOCH' },
      ...ENGINE_INPUTS,
    ],
    outputs: [`{workspaceRoot}/dist/${project.name}/bundle`],
    metadata: {
      description: `Write ${project.name}'s ${release ? 'offline installer' : 'plugin package'} into dist/${project.name}/bundle, with inventory.json beside it (byte-identical across machines)`,
    },
  };
};
