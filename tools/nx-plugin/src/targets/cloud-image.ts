import { posix } from 'node:path';
import { CLI, ENGINE_INPUTS, outputsOf, publishAfterCheck, type TargetInference } from './shared';

/** The arches as every kind writes them (the project may use openEuler's names as aliases). */
const archNames = (arches: readonly string[]) =>
  [...new Set(arches.map((a) => ({ x86_64: 'amd64', aarch64: 'arm64' })[a] ?? a))].join(', ');

/** CloudImage `prepare`: the base images into the shared content store; not cached (the store is the cache). */
export const cloudPrepareTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'CloudImage') return undefined;
  return {
    command: `${CLI} prepare ${project.root}`,
    cache: false,
    metadata: {
      description: `Fetch the openEuler ${spec.versions.join(', ')} VM base images (${archNames(spec.arches)}) from ${spec.source.repo}, checked against their .sha256sum, into the content store`,
    },
  };
};

/**
 * CloudImage `build`: every version × arch into dist/<name>/<version>/<arch>/. Cached on project.yaml, its cloud-init
 * file and the engines: the base is named by the repository's .sha256sum and the build is reproducible, so a cache
 * hit restores the same bytes a rebuild would write.
 */
export const cloudBuildTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'CloudImage') return undefined;
  const config = spec.cloudConfig ? [`{workspaceRoot}/${posix.join(project.root, spec.cloudConfig)}`] : [];
  return {
    command: `${CLI} build ${project.root}`,
    cache: true,
    inputs: ['{projectRoot}/project.yaml', ...config, ...ENGINE_INPUTS],
    outputs: spec.versions.map((v) => `${outputsOf(project).root}/${v}`),
    metadata: {
      description: `Build ${project.name} ${spec.versions.join(', ')} for ${archNames(spec.arches)}: qcow2, raw, rpms.txt and build.json in dist/${project.name}/<version>/<arch>/ (needs root: a read-only loop mount)`,
    },
  };
};

/** CloudImage `check`: reads each built image offline and boots each (amd64, arm64) under TCG; cached on the builds' build.json. */
export const cloudCheckTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'CloudImage') return undefined;
  return {
    command: `${CLI} check ${project.root}`,
    cache: true,
    dependsOn: ['build'],
    inputs: ['{projectRoot}/project.yaml', { dependentTasksOutputFiles: '**/build.json' }, ...ENGINE_INPUTS],
    outputs: [outputsOf(project).check],
    metadata: {
      description: `Check ${project.name}'s images offline (os-release, rpm list, machine-id, ssh host keys, root lock, cloud-init, sshd, clean-up) and boot each (amd64, arm64) under qemu TCG with a NoCloud seed; JUnit in dist/${project.name}/check/junit.xml`,
    },
  };
};

/** CloudImage `publish`: object stores and AWS AMIs; never cached (it writes clouds; re-runs find what is there). */
export const cloudPublishTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'CloudImage' || !spec.targets?.length) return undefined;
  return publishAfterCheck(
    project,
    `Publish ${project.name} to ${spec.targets.map((t) => (t.type === 'aws' ? `AWS ${t.region ?? ''}`.trim() : (t.upload?.url ?? 'generic'))).join(', ')}`,
  );
};
