import { CLI, ENGINE_INPUTS, type TargetInference, outputsOf, shownOutputs } from './shared';

/** What an AppImage build reads: its project folder (every version folder, init.sh, Kubefile) and the engines. */
const APP_INPUTS = ['{projectRoot}/**/*', ...ENGINE_INPUTS];

/** `images`: init.sh per arch, then the images each arch's cluster image would carry (dist/<name>/images/<version>/<arch>/images.list). */
export const appImageImagesTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'AppImage') return undefined;
  return {
    command: `${CLI} build ${project.root} --list-images`,
    cache: true,
    inputs: APP_INPUTS,
    outputs: [outputsOf(project).images],
    metadata: {
      description: `Run init.sh for each arch of ${project.name} and list the images its cluster image carries (${shownOutputs(project).images}/)`,
    },
  };
};

/**
 * `build`: every version and arch, daemonless, into an OCI layout per version (dist/<name>/<version>/). The images
 * it carries in registry/ are read by the digests `resolve` pinned, so the lock (resolve's output) is an input.
 */
export const appImageBuildTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'AppImage') return undefined;
  return {
    command: `${CLI} build ${project.root}`,
    cache: true,
    dependsOn: ['resolve'],
    inputs: [...APP_INPUTS, { dependentTasksOutputFiles: '**/project.lock.yaml' }],
    outputs: spec.versions.map((version) => outputsOf(project).appVersion(version)),
    metadata: {
      description: `Build ${project.name} ${spec.versions.join(', ')} for ${(spec.arches ?? ['amd64', 'arm64']).join(', ')}: init.sh, images into registry/, per-arch images and the index in ${shownOutputs(project).appVersion('<version>')}/`,
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
