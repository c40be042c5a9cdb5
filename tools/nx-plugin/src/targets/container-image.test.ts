import { describe, expect, it } from 'vitest';
import type { ContainerImage } from '../../../../libs/spec/src';
import { containerBuildTarget, containerCheckTarget, containerPublishTarget } from './container-image';
import { inferTargets } from './index';

const spec: ContainerImage = {
  kind: 'ContainerImage',
  name: 'openeuler',
  versions: ['22.03-LTS-SP1'],
  arches: ['amd64', 'arm64'],
  base: { repo: 'https://repo.openeuler.org' },
  dockerfile: 'docker/Dockerfile',
  check: { script: 'test.sh' },
  registries: [{ registry: 'docker.io', repository: 'openeuler/openeuler' }, { registry: 'quay.io', repository: 'openeuler/openeuler' }],
};
const facts = { name: 'openeuler', root: 'releases/containers/openeuler', kind: 'ContainerImage' as const, spec };

describe('ContainerImage targets', () => {
  it('build is cached on project.yaml and the Dockerfile folder, check and publish follow it uncached', () => {
    const build = containerBuildTarget(facts)!;
    expect(build).toMatchObject({ command: 'node tools/cli/bin/dockyard.cjs build --project releases/containers/openeuler', cache: true, outputs: ['{workspaceRoot}/dist/openeuler/build'] });
    expect(build.inputs).toContain('{workspaceRoot}/releases/containers/openeuler/docker/**/*');
    expect(containerCheckTarget(facts)).toMatchObject({ command: 'node tools/cli/bin/dockyard.cjs check releases/containers/openeuler', cache: false, dependsOn: ['build'] });
    expect(containerCheckTarget(facts)!.metadata?.description).toContain('test.sh');
    const publish = containerPublishTarget(facts)!;
    expect(publish).toMatchObject({ cache: false, dependsOn: ['check'], configurations: { 'dry-run': { command: 'node tools/cli/bin/dockyard.cjs publish releases/containers/openeuler --dry-run' } } });
    expect(publish.metadata?.description).toContain('docker.io/openeuler/openeuler, quay.io/openeuler/openeuler');
  });

  it('infers build, check and publish for a ContainerImage only', () => {
    expect(Object.keys(inferTargets(facts)).sort()).toEqual(['build', 'check', 'publish', 'validate']);
    expect(containerBuildTarget({ name: 'x', root: 'x', kind: 'AppImage', spec: { kind: 'AppImage', name: 'x', versions: ['1'], repository: 'r/x' } })).toBeUndefined();
  });
});
