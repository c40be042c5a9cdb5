import { posix } from 'node:path';
import { usesLock } from './resolve';
import { CLI, ENGINE_INPUTS, type TargetInference, outputsOf, shownOutputs } from './shared';

/**
 * `bundle` writes a Release's offline installer or a Plugin's package. The bundle is a pure
 * function of project.yaml, the lock, the images target's list and the bundle files: it reads
 * images by the digests the lock pins, so a tag moved in a registry changes nothing until
 * `resolve -c update` moves the lock. The lock is hashed as resolve's output (a plain file input
 * is hashed as it was when the command started, before resolve wrote it). A Release runs after
 * its `images` target, after the bundles of the plugins it ships (`^bundle`), which it carries
 * under plugins/, and after the builds of the AppImages it ships (`^build`), carried under apps/.
 *
 * With a shared store (DOCKYARD_STORE names a registry or S3), the bundle is kept there by its digest and Nx caches
 * only its inventory and descriptor: a cache hit on another machine restores two small files, and whatever reads
 * the bundle (publish, sign, a Release carrying a plugin) fetches the archive by digest. The store is then an input,
 * so an entry made with one kind of store is never restored under the other.
 */
export const bundleTarget: TargetInference = (project, workspace) => {
  const spec = project.spec;
  if (spec?.kind !== 'Release' && spec?.kind !== 'Plugin') return undefined;
  const release = spec.kind === 'Release' ? spec : undefined;
  const buildsItsImage = Boolean(release?.build && !release.bundle?.releaseImage);
  const dependsOn = [
    ...(usesLock(spec) ? ['resolve'] : []),
    ...((release?.components ?? []).length ? ['images'] : []),
    ...(buildsItsImage ? ['build'] : []),
    ...((release?.ships?.plugins ?? []).length ? ['^bundle'] : []),
    ...((release?.ships?.appImages ?? []).length ? ['^build'] : []),
  ];
  const files = (release?.bundle?.files ?? [])
    .filter((f) => f.from)
    .map((f) => `{workspaceRoot}/${posix.normalize(posix.join(project.root, f.from!))}`);
  return {
    command: `${CLI} bundle ${project.root}`,
    cache: true,
    ...(dependsOn.length ? { dependsOn } : {}),
    inputs: [
      '{projectRoot}/project.yaml',
      ...files,
      ...(dependsOn.length ? [{ dependentTasksOutputFiles: '**/*' }] : []),
      { env: 'SOURCE_DATE_EPOCH' },
      ...(workspace?.sharedStore ? [{ env: 'DOCKYARD_STORE' }] : []),
      ...ENGINE_INPUTS,
    ],
    outputs: workspace?.sharedStore
      ? [outputsOf(project).bundleInventory, outputsOf(project).bundleDescriptor]
      : [outputsOf(project).bundle],
    metadata: {
      description: `Write ${project.name}'s ${release ? 'offline installer' : 'plugin package'} into ${shownOutputs(project).bundle}, with inventory.json beside it (byte-identical across machines)`,
    },
  };
};
