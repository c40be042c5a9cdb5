import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { tempDirFor } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, fetchManifest, pushImage, randomLayer } from '../support/test-images';
import { seedImages, type SeededImages } from '../support/seed';
import { projectWorkspace, releaseWorkspace } from './workspace';

const run = promisify(execFile);

/** Which files a bundle run leaves in dist/<project>/bundle, and what they are called. */
describe('dockyard bundle: what lands in dist/<project>/bundle (real registry)', () => {
  let registry: RunningRegistry;
  let seeded: SeededImages;
  let work: string;
  const env = () => ({ DOCKYARD_STORE: join(work, 'store') });

  beforeAll(async () => {
    registry = await startRegistry();
    seeded = await seedImages(registry.url);
    work = await tempDirFor(afterAll, 'bundle-layout');
  });
  afterAll(() => registry?.stop());

  /** Image digests are pinned in the lock before anything is bundled. */
  async function resolve(project: string): Promise<void> {
    const resolved = await dockyard(['resolve', project], env());
    expect(resolved.exitCode, resolved.stderr).toBe(0);
  }

  function release(version: string, extra: string[]) {
    return {
      kind: 'Release',
      name: 'lay',
      version,
      images: { extra },
      sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
      bundle: {
        name: 'lay-{version}',
        file: 'lay-{version}.tar',
        images: { format: 'registry-dir', file: 'images.tar' },
      },
    };
  }

  it('names the bundle file with {version}, keeps a delta beside the full bundle, and clears older versions', async () => {
    const ws = join(work, 'ws');
    const project = await releaseWorkspace(ws, release('v1.0.0', ['app/single:v1']));
    const out = join(ws, 'dist', 'lay', 'bundle');
    await resolve(project);
    const full = await dockyard(['bundle', project], env());
    expect(full.stderr).toBe('');
    expect(full.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['inventory.json', 'lay-v1.0.0.tar']);
    const fullBytes = await readFile(join(out, 'lay-v1.0.0.tar'));
    const fullInventory = await readFile(join(out, 'inventory.json'), 'utf8');
    const previous = join(work, 'v1-inventory.json');
    await writeFile(previous, fullInventory);

    // A new image of the same version, shipped as a delta against what the site has: the full bundle stays as it was.
    await pushImage(
      { base: registry.url },
      'app/next',
      'v2',
      buildImage({ layers: [seeded.base, randomLayer(50_000)] }),
    );
    await writeFile(join(project, 'project.yaml'), stringify(release('v1.0.0', ['app/single:v1', 'app/next:v2'])));
    await resolve(project);
    const delta = await dockyard(['bundle', project, '--since', previous], env());
    expect(delta.stderr).toBe('');
    expect(delta.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'inventory.json',
      'lay-v1.0.0-delta-from-lay-v1.0.0.inventory.json',
      'lay-v1.0.0-delta-from-lay-v1.0.0.tar',
      'lay-v1.0.0.tar',
    ]);
    expect((await readFile(join(out, 'lay-v1.0.0.tar'))).equals(fullBytes)).toBe(true);
    expect(await readFile(join(out, 'inventory.json'), 'utf8')).toBe(fullInventory);
    const deltaInventory = JSON.parse(
      await readFile(join(out, 'lay-v1.0.0-delta-from-lay-v1.0.0.inventory.json'), 'utf8'),
    );
    expect(deltaInventory.images.map((i: { name: string }) => i.name)).toEqual(['app/next:v2', 'app/single:v1']);
    expect(deltaInventory.omittedBlobs.map((b: { digest: string }) => b.digest)).toContain(seeded.base.digest);
    expect((await dockyard(['bundle', 'verify', join(out, 'lay-v1.0.0-delta-from-lay-v1.0.0.tar')])).exitCode).toBe(0);

    // A delta against a registry's inventory (no bundle name in it) is named after a digest of what that registry holds.
    const site = join(work, 'site-inventory.json');
    expect((await dockyard(['inventory', `docker://${registry.host}`, '--out', site])).exitCode).toBe(0);
    expect((await dockyard(['bundle', project, '--since', site], env())).exitCode).toBe(0);
    expect((await readdir(out)).filter((f) => /-delta-from-sha256-[0-9a-f]{12}\.tar$/.test(f))).toHaveLength(1);

    // A version bump: the next full bundle leaves only itself and its inventory in the folder (the Nx output).
    await writeFile(join(project, 'project.yaml'), stringify(release('v1.1.0', ['app/single:v1', 'app/next:v2'])));
    await run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'v1.1.0'], { cwd: ws });
    const bumped = await dockyard(['bundle', project], env());
    expect(bumped.stderr).toBe('');
    expect(bumped.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['inventory.json', 'lay-v1.1.0.tar']);
    expect(bumped.stdout).toContain('removed lay-v1.0.0-delta-from-lay-v1.0.0.inventory.json, ');
    expect(JSON.parse(await readFile(join(out, 'inventory.json'), 'utf8')).bundle).toBe('lay-v1.1.0');
  });

  it('carries each shipped AppImage build (OCI layout, every arch) under apps/<app>/<version>/ and lists it in the inventory', async () => {
    const ws = join(work, 'ws-apps');
    await mkdir(join(ws, 'apps/tiny/latest'), { recursive: true });
    const project = await projectWorkspace(ws, [
      {
        folder: 'releases/shipper',
        spec: {
          kind: 'Release',
          name: 'shipper',
          version: 'v1',
          images: { extra: ['app/single:v1'] },
          sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
          ships: { appImages: ['tiny'] },
        },
      },
      {
        folder: 'apps/tiny',
        spec: {
          kind: 'AppImage',
          name: 'tiny',
          versions: ['1.0.0'],
          arches: ['amd64', 'arm64'],
          repository: `${registry.host}/apps/tiny`,
        },
        files: {
          'latest/init.sh': `#!/bin/sh\nmkdir -p manifests\nprintf 'apiVersion: v1\\nkind: Pod\\nmetadata: { name: p }\\nspec:\\n  containers:\\n    - { name: c, image: ${registry.host}/app/multi:v1 }\\n' > manifests/pod.yaml\n`,
          'latest/Kubefile': 'FROM scratch\nCOPY manifests manifests\nCOPY registry registry\n',
        },
      },
    ]);
    await resolve(project);
    const unbuilt = await dockyard(['bundle', project], env());
    expect(unbuilt.exitCode).toBe(1);
    expect(unbuilt.stderr).toContain(
      `dist/tiny/1.0.0/index.json is missing: run tiny's build first (nx run tiny:build, or dockyard build tiny)`,
    );

    await resolve(join(ws, 'apps/tiny'));
    const built = await dockyard(['build', '--project', join(ws, 'apps/tiny')], env(), ws);
    expect(built.exitCode, built.stderr).toBe(0);
    const record = JSON.parse(await readFile(join(ws, 'dist/tiny/1.0.0/build.json'), 'utf8')) as { digest: string };
    const made = await dockyard(['bundle', project], env());
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    const file = join(ws, 'dist/shipper/bundle/shipper-v1.tar.gz');
    const listing = (await run('tar', ['-tzf', file])).stdout.trim().split('\n');
    expect(listing).toEqual(
      expect.arrayContaining([
        'shipper-v1/apps/tiny/1.0.0/oci-layout',
        'shipper-v1/apps/tiny/1.0.0/index.json',
        'shipper-v1/apps/tiny/1.0.0/build.json',
        `shipper-v1/apps/tiny/1.0.0/blobs/sha256/${record.digest.slice(7)}`,
      ]),
    );
    expect(listing.filter((f) => f.endsWith('init.log'))).toEqual([]);
    const inventory = JSON.parse(await readFile(join(ws, 'dist/shipper/bundle/inventory.json'), 'utf8'));
    expect(inventory.appImages).toEqual([
      {
        name: `${registry.host}/apps/tiny:1.0.0`,
        folder: 'apps/tiny/1.0.0',
        digest: record.digest,
        platforms: ['linux/amd64', 'linux/arm64'],
      },
    ]);
    expect((await dockyard(['bundle', 'verify', file])).exitCode).toBe(0);

    // The carried folder is the build itself: copied from the unpacked installer, a registry serves the same index, both arches.
    const unpacked = join(work, 'apps-unpacked');
    await mkdir(unpacked);
    await run('tar', ['-xzf', file, '-C', unpacked]);
    const target = await startRegistry();
    try {
      await run('skopeo', [
        'copy',
        '--all',
        '--dest-tls-verify=false',
        `oci:${join(unpacked, 'shipper-v1/apps/tiny/1.0.0')}:1.0.0`,
        `docker://${target.host}/apps/tiny:1.0.0`,
      ]);
      expect((await fetchManifest({ base: target.url }, 'apps/tiny', '1.0.0'))?.digest).toBe(record.digest);
    } finally {
      await target.stop();
    }
  });
});
