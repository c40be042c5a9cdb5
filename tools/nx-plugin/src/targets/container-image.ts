import { posix } from 'node:path';
import { BUILD_SUMMARY } from '@dockyard/container/build-result';
import { CLI, ENGINE_INPUTS, type TargetInference, outputsOf, publishAfterCheck, shownOutputs } from './shared';

/**
 * ContainerImage `build`: prepares the openEuler base archives and builds every version (or meta.yml image) for
 * each arch into dist/<name>/build. Cached on project.yaml, the Dockerfile's folder or meta.yml tree, and the
 * engines; the base archives are named by the repository's .sha256sum, so base.index: update is re-resolved only
 * when the cache misses (run with --skip-nx-cache to pick up a newer update folder). With a shared store, every blob
 * of the layout is kept there and Nx caches only build.json and the layout's index.json and oci-layout (check and
 * publish fetch the blobs by digest); the store is then an input.
 */
export const containerBuildTarget: TargetInference = (project, workspace) => {
  const spec = project.spec;
  if (spec?.kind !== 'ContainerImage') return undefined;
  const own = spec.dockerfile
    ? [`{workspaceRoot}/${posix.join(project.root, posix.dirname(spec.dockerfile))}/**/*`]
    : [];
  const app = spec.app ? [`{workspaceRoot}/${posix.join(project.root, posix.dirname(spec.app.meta))}/**/*`] : [];
  return {
    command: `${CLI} build ${project.root}`,
    cache: true,
    inputs: [
      '{projectRoot}/project.yaml',
      ...own,
      ...app,
      ...(workspace?.sharedStore ? [{ env: 'DOCKYARD_STORE' }] : []),
      ...ENGINE_INPUTS,
    ],
    outputs: workspace?.sharedStore ? outputsOf(project).buildRecords : [outputsOf(project).build],
    metadata: {
      description: `Build ${project.name} for ${spec.arches.join(', ')} into one multi-arch index per ${spec.app ? 'meta.yml image' : 'version'} (${shownOutputs(project).build}; RUN steps need the Docker engine at DOCKER_HOST)`,
    },
  };
};

/**
 * ContainerImage `check`: runs each built arch in the Docker engine; the JUnit report lands in dist/<name>/check.
 * Cached on what it runs: the build's build.json, which records every image's tags and digests (the layout's blobs
 * are named by those digests, so they are not hashed again), project.yaml (timezone, base), the check script and
 * the engines. A `publish` after an unchanged build restores the report instead of starting containers again.
 */
export const containerCheckTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'ContainerImage') return undefined;
  const script = spec.check?.script ? [`{workspaceRoot}/${posix.join(project.root, spec.check.script)}`] : [];
  return {
    command: `${CLI} check ${project.root}`,
    cache: true,
    dependsOn: ['build'],
    inputs: [
      '{projectRoot}/project.yaml',
      ...script,
      { dependentTasksOutputFiles: `**/${BUILD_SUMMARY}` },
      ...ENGINE_INPUTS,
    ],
    outputs: [outputsOf(project).check],
    metadata: {
      description: `Run ${project.name} on every arch (OS, arch, timezone${spec.base ? ', os-release VERSION' : ''}${spec.check?.script ? `, ${spec.check.script}` : ''}); JUnit report in ${shownOutputs(project).check}/junit.xml`,
    },
  };
};

/** ContainerImage `publish`: pushes the build to every registry; never cached (it writes registries; re-runs cost HEADs). */
export const containerPublishTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (spec?.kind !== 'ContainerImage') return undefined;
  return publishAfterCheck(
    project,
    `Push ${project.name}, every tag, to ${spec.registries.map((r) => `${r.registry}/${r.repository}`).join(', ')}`,
  );
};
