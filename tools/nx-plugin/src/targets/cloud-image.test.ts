import { describe, expect, it } from 'vitest';
import type { CloudImage } from '@dockyard/project-spec';
import { inferTargets } from './index';

const spec: CloudImage = {
  kind: 'CloudImage',
  name: 'openeuler-cloud',
  versions: ['22.03-LTS-SP1'],
  arches: ['x86_64', 'arm64'],
  source: { repo: 'https://repo.openeuler.org' },
  cloudConfig: 'cloud.cfg',
  targets: [{ type: 'aws', region: 'eu-west-1', bucket: 'b' }],
};
const facts = { name: 'openeuler-cloud', root: 'releases/cloud/openeuler-cloud', kind: 'CloudImage' as const, spec };

describe('CloudImage targets', () => {
  it('infers prepare, build, check and publish, build cached on project.yaml and its cloud-init file', () => {
    const targets = inferTargets(facts);
    expect(Object.keys(targets).sort()).toEqual(['build', 'check', 'prepare', 'publish', 'validate']);
    expect(targets.build).toMatchObject({
      command: 'node tools/cli/bin/dockyard.cjs build releases/cloud/openeuler-cloud',
      cache: true,
      outputs: ['{workspaceRoot}/dist/openeuler-cloud/22.03-LTS-SP1'],
    });
    expect(targets.build!.inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/project.yaml',
        '{workspaceRoot}/releases/cloud/openeuler-cloud/cloud.cfg',
      ]),
    );
    expect(targets.build!.metadata?.description).toContain('for amd64, arm64');
    expect(targets.check).toMatchObject({ dependsOn: ['build'], cache: true });
    expect(targets.publish).toMatchObject({ dependsOn: ['check'], cache: false });
    expect(targets.prepare).toMatchObject({ cache: false });
  });

  it('has no publish without targets', () => {
    expect(inferTargets({ ...facts, spec: { ...spec, targets: undefined } }).publish).toBeUndefined();
  });
});
