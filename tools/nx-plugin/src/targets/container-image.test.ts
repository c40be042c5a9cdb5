import { describe, expect, it } from 'vitest';
import type { ContainerImage } from '@dockyard/project-spec';
import { containerBuildTarget, containerCheckTarget, containerPublishTarget } from './container-image';
import { inferTargets } from './index';
import { ENGINE_INPUTS } from './shared';

const spec: ContainerImage = {
  kind: 'ContainerImage',
  name: 'openeuler',
  versions: ['22.03-LTS-SP1'],
  arches: ['amd64', 'arm64'],
  base: { repo: 'https://repo.openeuler.org' },
  dockerfile: 'docker/Dockerfile',
  check: { script: 'test.sh' },
  registries: [
    { registry: 'docker.io', repository: 'openeuler/openeuler' },
    { registry: 'quay.io', repository: 'openeuler/openeuler' },
  ],
};
const facts = { name: 'openeuler', root: 'releases/containers/openeuler', kind: 'ContainerImage' as const, spec };

describe('ContainerImage targets', () => {
  it('build is cached on project.yaml and the Dockerfile folder, publish follows check uncached', () => {
    const build = containerBuildTarget(facts)!;
    expect(build).toMatchObject({
      command: 'node tools/cli/bin/dockyard.cjs build releases/containers/openeuler',
      cache: true,
      outputs: ['{workspaceRoot}/dist/openeuler/build'],
    });
    expect(build.inputs).toContain('{workspaceRoot}/releases/containers/openeuler/docker/**/*');
    const publish = containerPublishTarget(facts)!;
    expect(publish).toMatchObject({
      cache: false,
      dependsOn: ['check'],
      configurations: {
        'dry-run': { command: 'node tools/cli/bin/dockyard.cjs publish releases/containers/openeuler --dry-run' },
      },
    });
    expect(publish.metadata?.description).toContain('docker.io/openeuler/openeuler, quay.io/openeuler/openeuler');
  });

  it('with a shared store, build caches only build.json and the layout’s small files, and the store is an input', () => {
    const build = containerBuildTarget(facts, { sharedStore: true })!;
    expect(build.outputs).toEqual([
      '{workspaceRoot}/dist/openeuler/build/build.json',
      '{workspaceRoot}/dist/openeuler/build/oci/index.json',
      '{workspaceRoot}/dist/openeuler/build/oci/oci-layout',
    ]);
    expect(build.inputs).toContainEqual({ env: 'DOCKYARD_STORE' });
    expect(containerBuildTarget(facts, { sharedStore: false })!.inputs).not.toContainEqual({ env: 'DOCKYARD_STORE' });
  });

  it('check is cached on the digests the build recorded, its settings and script, not on the Dockerfile or the layout', () => {
    const check = containerCheckTarget(facts)!;
    expect(check).toMatchObject({
      command: 'node tools/cli/bin/dockyard.cjs check releases/containers/openeuler',
      cache: true,
      dependsOn: ['build'],
    });
    expect(check.metadata?.description).toContain('test.sh');
    const engines: unknown[] = ENGINE_INPUTS;
    const own = check.inputs!.filter((input) => !engines.includes(input));
    expect(own).toEqual([
      '{projectRoot}/project.yaml',
      '{workspaceRoot}/releases/containers/openeuler/test.sh',
      { dependentTasksOutputFiles: '**/build.json' },
    ]);
  });

  it('infers build, check and publish for a ContainerImage only', () => {
    expect(Object.keys(inferTargets(facts)).sort()).toEqual(['build', 'check', 'publish', 'validate']);
    expect(
      containerBuildTarget({
        name: 'x',
        root: 'x',
        kind: 'AppImage',
        spec: { kind: 'AppImage', name: 'x', versions: ['1'], repository: 'r/x' },
      }),
    ).toBeUndefined();
  });
});
