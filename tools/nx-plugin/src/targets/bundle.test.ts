import { describe, expect, it } from 'vitest';
import type { Plugin, Release } from '@dockyard/project-spec';
import { bundleTarget } from './bundle';
import { publishTarget } from './publish';

const release: Release = {
  kind: 'Release',
  name: 'oem',
  version: 'v1',
  components: [{ name: 'addons', local: 'addons' }],
  ships: { plugins: ['alerts'] },
  bundle: { files: [{ from: 'install.sh' }, { url: 'https://example.com/cadm', sha256: 'a'.repeat(64) }] },
  publish: { objectStore: [{ url: 's3://bkt/releases' }] },
};
const plugin: Plugin = {
  kind: 'Plugin',
  name: 'alerts',
  releaseRegistry: 'r.example.com',
  spec: { version: 'v0.1.0', service: { port: 1, image: 'r.example.com/release/compass-plugins-alerts:v0.1.0' } },
};

describe('bundle and publish targets', () => {
  it('caches a Release bundle on its inputs, after its images and the bundles of the plugins it ships', () => {
    const target = bundleTarget({ name: 'oem', root: 'releases/oem', kind: 'Release', spec: release })!;
    expect(target).toMatchObject({
      command: 'node tools/cli/bin/dockyard.cjs bundle releases/oem',
      cache: true,
      dependsOn: ['images', '^bundle'],
      outputs: ['{workspaceRoot}/dist/oem/bundle'],
    });
    expect(target.inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/project.yaml',
        '{workspaceRoot}/releases/oem/install.sh',
        { dependentTasksOutputFiles: '**/*' },
        { env: 'SOURCE_DATE_EPOCH' },
      ]),
    );
  });

  it('with a shared store, caches only the inventory and the descriptor, and the store is an input', () => {
    const facts = { name: 'oem', root: 'releases/oem', kind: 'Release' as const, spec: release };
    const target = bundleTarget(facts, { sharedStore: true })!;
    expect(target.outputs).toEqual([
      '{workspaceRoot}/dist/oem/bundle/inventory.json',
      '{workspaceRoot}/dist/oem/bundle/descriptor.json',
    ]);
    expect(target.inputs).toContainEqual({ env: 'DOCKYARD_STORE' });
    expect(bundleTarget(facts, { sharedStore: false })!.inputs).not.toContainEqual({ env: 'DOCKYARD_STORE' });
  });

  it('builds the AppImages a Release ships before bundling it, their outputs among its inputs', () => {
    const target = bundleTarget({
      name: 'oem',
      root: 'releases/oem',
      kind: 'Release',
      spec: { kind: 'Release', name: 'oem', version: 'v1', ships: { appImages: ['nginx'] } },
    })!;
    expect(target.dependsOn).toEqual(['^build']);
    expect(target.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*' });
  });

  it('bundles a Plugin after resolving its image digests, and publishes only what has a publish section, never cached, with a dry run', () => {
    expect(bundleTarget({ name: 'alerts', root: 'plugins/alerts', kind: 'Plugin', spec: plugin })).toMatchObject({
      dependsOn: ['resolve'],
      inputs: expect.arrayContaining([{ dependentTasksOutputFiles: '**/*' }]),
    });
    expect(publishTarget({ name: 'alerts', root: 'plugins/alerts', kind: 'Plugin', spec: plugin })).toBeUndefined();
    expect(publishTarget({ name: 'oem', root: 'releases/oem', kind: 'Release', spec: release })).toMatchObject({
      cache: false,
      dependsOn: ['bundle'],
      configurations: { 'dry-run': { command: 'node tools/cli/bin/dockyard.cjs publish releases/oem --dry-run' } },
    });
  });
});
