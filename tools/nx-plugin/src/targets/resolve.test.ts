import { describe, expect, it } from 'vitest';
import type { AppImage, Plugin, Release } from '@dockyard/project-spec';
import { collectTarget } from './collect';
import { imagesTarget } from './images';
import { resolveTarget } from './resolve';
import { syncTarget } from './sync';

const release = (extra: Partial<Release>): Release =>
  ({ kind: 'Release', name: 'oem', version: 'v1', ...extra }) as Release;
const facts = (spec: Release | Plugin | AppImage) => ({
  name: spec.name,
  root: `projects/${spec.name}`,
  kind: spec.kind,
  spec,
});
const sync = { from: { registry: 'build.local' }, to: [{ registry: 'release.local' }] };

describe('resolve target', () => {
  it('appears where a lock pins something: locked components, or images something reads', () => {
    const local = release({ components: [{ name: 'addons', local: 'addons' }] });
    expect(resolveTarget(facts(local))).toBeUndefined();
    expect(resolveTarget(facts({ ...local, sync }))).toEqual({
      executor: './tools/nx-plugin:verb',
      options: { verb: 'resolve', project: 'projects/oem' },
      cache: false,
      outputs: ['{projectRoot}/project.lock.yaml'],
      configurations: { update: { flags: ['--update'] }, check: { flags: ['--check'] } },
      metadata: { description: expect.stringContaining('-c update for newer versions and moved tags, -c check in CI') },
    });
    expect(resolveTarget(facts(release({ bundle: { releaseImage: 'r.local/release/oem:v1' } })))).toBeDefined();
    expect(
      resolveTarget(facts(release({ build: { image: 'r.local/oem:{version}', from: 'r.local/base:1' } }))),
    ).toBeDefined();
    expect(
      resolveTarget(facts(release({ build: { image: 'r.local/oem:{version}', from: 'scratch' } }))),
    ).toBeUndefined();
    const plugin = {
      kind: 'Plugin',
      name: 'alerts',
      releaseRegistry: 'r.local',
      spec: { version: 'v1', service: { port: 1, image: 'r.local/release/compass-plugins-alerts:v1' } },
    } as Plugin;
    expect(resolveTarget(facts(plugin))).toBeDefined();
    expect(
      resolveTarget(
        facts({ kind: 'AppImage', name: 'nginx', versions: ['1'], repository: 'r.local/apps/nginx' } as AppImage),
      ),
    ).toBeDefined();
  });

  it('orders collect and a Plugin sync after it, so neither runs on a lock being written', () => {
    const local = release({ components: [{ name: 'addons', local: 'addons' }], sync });
    expect(collectTarget(facts(local))).toMatchObject({
      dependsOn: ['resolve'],
      inputs: expect.arrayContaining([{ dependentTasksOutputFiles: '**/project.lock.yaml' }]),
    });
    const plugin = {
      kind: 'Plugin',
      name: 'alerts',
      releaseRegistry: 'r.local',
      spec: { version: 'v1', service: { port: 1, image: 'r.local/release/compass-plugins-alerts:v1' } },
      sync,
    } as Plugin;
    expect(syncTarget(facts(plugin))).toMatchObject({ dependsOn: ['resolve'] });
  });

  it("runs resolve, collect and images through the batch executor, its code among the cached ones' inputs", () => {
    const charted = release({ components: [{ name: 'charts', git: { url: 'https://git.local/charts' } }] });
    for (const [verb, target] of [
      ['resolve', resolveTarget(facts(charted))],
      ['collect', collectTarget(facts(charted))],
      ['images', imagesTarget(facts(charted))],
    ] as const) {
      expect(target).toMatchObject({ executor: './tools/nx-plugin:verb', options: { verb, project: 'projects/oem' } });
      expect(target).not.toHaveProperty('command');
    }
    const verbCode = '{workspaceRoot}/tools/nx-plugin/src/executors/verb/**/*';
    expect(collectTarget(facts(charted))!.inputs).toContain(verbCode);
    expect(imagesTarget(facts(charted))).toMatchObject({
      cache: true,
      dependsOn: ['collect'],
      inputs: expect.arrayContaining(['{projectRoot}/project.yaml', { dependentTasksOutputFiles: '**/*' }, verbCode]),
      outputs: ['{workspaceRoot}/dist/oem/images'],
    });
  });
});
