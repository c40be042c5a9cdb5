import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startRegistry, type RunningRegistry } from '../harness/registry';
import { tempDirFor } from '../harness/tmp';
import { dockyard } from '../oci/support/cli';
import { buildImage, pushImage, randomLayer } from '../oci/support/test-images';
import { seedImages, type SeededImages } from '../oci/support/seed';
import { releaseWorkspace } from './workspace';

const run = promisify(execFile);

async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

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

  function release(version: string, extra: string[]) {
    return {
      kind: 'Release',
      name: 'lay',
      version,
      images: { extra },
      sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
      bundle: { name: 'lay-{version}', file: 'lay-{version}.tar', images: { format: 'registry-dir', file: 'images.tar' } },
    };
  }

  it('names the bundle file with {version}, keeps a delta beside the full bundle, and clears older versions', async () => {
    const ws = join(work, 'ws');
    const project = await releaseWorkspace(ws, release('v1.0.0', ['app/single:v1']));
    const out = join(ws, 'dist', 'lay', 'bundle');
    const full = await dockyard(['bundle', project], env());
    expect(full.stderr).toBe('');
    expect(full.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['inventory.json', 'lay-v1.0.0.tar']);
    const fullSum = await sha256File(join(out, 'lay-v1.0.0.tar'));
    const fullInventory = await readFile(join(out, 'inventory.json'), 'utf8');
    const previous = join(work, 'v1-inventory.json');
    await writeFile(previous, fullInventory);

    // A new image of the same version, shipped as a delta against what the site has: the full bundle stays as it was.
    await pushImage({ base: registry.url }, 'app/next', 'v2', buildImage({ layers: [seeded.base, randomLayer(50_000)] }));
    await writeFile(join(project, 'project.yaml'), stringify(release('v1.0.0', ['app/single:v1', 'app/next:v2'])));
    const delta = await dockyard(['bundle', project, '--since', previous], env());
    expect(delta.stderr).toBe('');
    expect(delta.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['inventory.json', 'lay-v1.0.0-delta-from-lay-v1.0.0.inventory.json', 'lay-v1.0.0-delta-from-lay-v1.0.0.tar', 'lay-v1.0.0.tar']);
    expect(await sha256File(join(out, 'lay-v1.0.0.tar'))).toBe(fullSum);
    expect(await readFile(join(out, 'inventory.json'), 'utf8')).toBe(fullInventory);
    const deltaInventory = JSON.parse(await readFile(join(out, 'lay-v1.0.0-delta-from-lay-v1.0.0.inventory.json'), 'utf8'));
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
});
