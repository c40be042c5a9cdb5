import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { NxWorkspace } from '../support/nx-workspace';
import { seedImages, type SeededImages } from '../support/seed';
import { buildImage, fetchManifest, pushImage, randomLayer } from '../support/test-images';

describe('the sync target', () => {
  let source: RunningRegistry;
  let target: RunningRegistry;
  let seeded: SeededImages;
  let workspace: NxWorkspace;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    seeded = await seedImages(source.url);
    await pushImage({ base: source.url }, 'app/compass-plugins-alerts', 'v0.1.0', seeded.single);
    // Both projects read from the build registry's app/ and write release/ to the target.
    const sync = [
      'sync:',
      '  from:',
      `    registry: ${source.host}`,
      '    rewrites: [{ from: "release/", to: "app/" }]',
      '  to:',
      `    - registry: ${target.host}`,
    ];
    workspace = await NxWorkspace.create('oci-nx-sync', {
      'releases/oem/project.yaml': [
        'kind: Release',
        'name: oem',
        'version: v2.7.0',
        ...sync,
        '  lists: ["images/*.list"]',
        '',
      ].join('\n'),
      'releases/oem/images/platform.list': '# synced by nx\nrelease/multi:v1\nrelease/single:v1\n',
      'plugins/alerts/project.yaml': [
        'kind: Plugin',
        'name: alerts',
        `releaseRegistry: ${target.host}`,
        'spec:',
        '  version: v0.1.0',
        '  service:',
        '    port: 8081',
        `    image: ${target.host}/release/compass-plugins-alerts:v0.1.0`,
        ...sync,
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await workspace?.dispose();
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('is inferred uncached, with a dry-run configuration', async () => {
    const shown = await workspace.nx(['show', 'project', 'oem', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    const sync = JSON.parse(shown.stdout).targets.sync;
    expect(sync.cache).toBe(false);
    expect(sync.options.command).toBe('node tools/cli/bin/dockyard.cjs sync releases/oem/project.yaml');
    expect(sync.metadata.description).toContain(`from ${source.host} to ${target.host}`);

    const dry = await workspace.nx(['run', 'oem:sync', '-c', 'dry-run', '--output-style=static']);
    expect(dry.exitCode, dry.all).toBe(0);
    // Read by the digest `resolve` (run first) pinned; written under the tag.
    expect(dry.all).toContain(`${source.host}/app/multi:v1@${seeded.index.digest} -> ${target.host}/release/multi:v1`);
    expect(await fetchManifest({ base: target.url }, 'release/multi', 'v1')).toBeUndefined();
  });

  it('copies the listed images with the source rewrite and reports into dist/<project>/sync', async () => {
    const run = await workspace.nx(['run', 'oem:sync', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(0);
    expect((await fetchManifest({ base: target.url }, 'release/multi', 'v1'))?.digest).toBe(seeded.index.digest);
    expect((await fetchManifest({ base: target.url }, 'release/single', 'v1'))?.digest).toBe(
      seeded.single.manifest.digest,
    );
    const report = JSON.parse(await readFile(workspace.path('dist/oem/sync/sync-report.json'), 'utf8')) as {
      images: { image: string; targets: { status: string }[] }[];
    };
    expect(report.images.map((i) => [i.image, i.targets[0]!.status])).toEqual([
      ['release/multi:v1', 'copied'],
      ['release/single:v1', 'copied'],
    ]);
  });

  it('copies the digest the lock pins, not where the tag has moved since, until resolve -c update', async () => {
    const moved = await pushImage(
      { base: source.url },
      'app/single',
      'v1',
      buildImage({ layers: [randomLayer(2_000)] }),
    );
    const kept = await workspace.nx(['run', 'oem:sync', '--output-style=static']);
    expect(kept.exitCode, kept.all).toBe(0);
    expect((await fetchManifest({ base: target.url }, 'release/single', 'v1'))?.digest).toBe(
      seeded.single.manifest.digest,
    );
    expect((await workspace.nx(['run', 'oem:resolve', '-c', 'update', '--output-style=static'])).exitCode).toBe(0);
    const updated = await workspace.nx(['run', 'oem:sync', '--output-style=static']);
    expect(updated.exitCode, updated.all).toBe(0);
    expect((await fetchManifest({ base: target.url }, 'release/single', 'v1'))?.digest).toBe(moved);
  });

  it("syncs a plugin's service image, named by the plugin naming rule, from the build registry", async () => {
    const run = await workspace.nx(['run', 'alerts:sync', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(0);
    expect((await fetchManifest({ base: target.url }, 'release/compass-plugins-alerts', 'v0.1.0'))?.digest).toBe(
      seeded.single.manifest.digest,
    );
  });
});
