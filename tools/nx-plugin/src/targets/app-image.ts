import { CLI, ENGINE_INPUTS, type TargetInference, VERB_INPUTS, outputsOf, shownOutputs, verbTask } from './shared';

/** What an AppImage build reads: its project folder (every version folder, init.sh, Kubefile) and the engines. */
const APP_INPUTS = ['{projectRoot}/**/*', ...ENGINE_INPUTS];

/**
 * `images`: init.sh per arch, then the images each arch's cluster image would carry
 * (dist/<name>/images/<version>/<arch>/images.list): `dockyard build PROJECT --list-images`, batched with the run's
 * other verb tasks in one process.
 */
export const appImageImagesTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'AppImage') return undefined;
  return {
    ...verbTask('build', project, ['--list-images']),
    cache: true,
    inputs: [...APP_INPUTS, ...VERB_INPUTS],
    outputs: [outputsOf(project).images],
    metadata: {
      description: `Run init.sh for each arch of ${project.name} and list the images its cluster image carries (${shownOutputs(project).images}/)`,
    },
  };
};

/**
 * `build`: every version and arch, daemonless, into an OCI layout per version (dist/<name>/<version>/). The images
 * it carries in registry/ are read by the digests `resolve` pinned, so the lock (resolve's output) is an input.
 *
 * With a shared store (DOCKYARD_STORE names a registry or S3), every blob of each layout is kept there and Nx caches
 * only each version's small files (index.json, oci-layout, build.json, init.sh's logs): whatever reads a layout
 * (publish, a Release's bundle) fetches the missing blobs by digest. The store is then an input, so an entry made
 * with one kind of store is never restored under the other.
 */
export const appImageBuildTarget: TargetInference = (project, workspace) => {
  const spec = project.spec;
  if (spec?.kind !== 'AppImage') return undefined;
  const arches = spec.arches ?? ['amd64', 'arm64'];
  return {
    command: `${CLI} build ${project.root}`,
    cache: true,
    dependsOn: ['resolve'],
    inputs: [
      ...APP_INPUTS,
      { dependentTasksOutputFiles: '**/project.lock.yaml' },
      ...(workspace?.sharedStore ? [{ env: 'DOCKYARD_STORE' }] : []),
    ],
    outputs: spec.versions.flatMap((version) =>
      workspace?.sharedStore
        ? outputsOf(project).appVersionRecords(version, arches)
        : [outputsOf(project).appVersion(version)],
    ),
    metadata: {
      description: `Build ${project.name} ${spec.versions.join(', ')} for ${arches.join(', ')}: init.sh, images into registry/, per-arch images and the index in ${shownOutputs(project).appVersion('<version>')}/`,
    },
  };
};

/** `publish`: pushes what `build` made to `repository` and `publish.registries`; never cached, safe to re-run. */
export const appImagePublishTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'AppImage') return undefined;
  const command = `${CLI} build ${project.root} --push`;
  const targets = [spec.repository, ...(spec.publish?.registries ?? []).map((r) => r.repository)];
  return {
    command,
    cache: false,
    dependsOn: ['build'],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: {
      description: `Push ${project.name}'s per-arch images and index to ${targets.join(', ')} (use -c dry-run to preview)`,
    },
  };
};
