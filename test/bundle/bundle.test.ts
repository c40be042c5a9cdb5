import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexTar, tarEntryHeader } from '@dockyard/oci';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { seedImages, type SeededImages } from '../support/seed';
import { buildImage, fetchBlob, fetchManifest, pushImage, pushIndex, randomLayer } from '../support/test-images';
import { cloneWorkspace, projectWorkspace, releaseWorkspace } from './workspace';

const run = promisify(execFile);

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

describe('dockyard bundle (Release, against a real registry)', () => {
  let registry: RunningRegistry;
  let seeded: SeededImages;
  let work: string;
  const store = () => join(work, 'store');

  function release(name: string, extra: string[], bundle: Record<string, unknown>) {
    return {
      name,
      version: 'v1.0.0',
      images: { extra },
      sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
      bundle: { name: `${name}-{version}`, files: [{ from: 'install.sh' }], ...bundle },
    };
  }

  beforeAll(async () => {
    registry = await startRegistry();
    seeded = await seedImages(registry.url);
    work = await tempDir('bundle-e2e');
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('writes a registry-dir payload a stock registry serves digest-identical, and the same bytes from another clone', async () => {
    const ws = join(work, 'ws1');
    const project = await releaseWorkspace(
      ws,
      release('demo', ['app/multi:v1', 'app/single:v1'], { images: { format: 'registry-dir', file: 'images.tar.gz' } }),
      { 'install.sh': '#!/bin/sh\necho install\n' },
    );
    const first = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const file = join(ws, 'dist', 'demo', 'bundle', 'demo-v1.0.0.tar.gz');
    const listing = (await run('tar', ['-tzf', file])).stdout.trim().split('\n');
    expect(listing).toEqual([
      'demo-v1.0.0/',
      'demo-v1.0.0/inventory.json',
      'demo-v1.0.0/images.tar.gz',
      'demo-v1.0.0/install.sh',
      'demo-v1.0.0/sbom.cdx.json',
      'demo-v1.0.0/sha256sums.txt',
    ]);
    const inventory = JSON.parse(await readFile(join(ws, 'dist', 'demo', 'bundle', 'inventory.json'), 'utf8'));
    expect(inventory.images.map((i: { name: string; digest: string }) => [i.name, i.digest])).toEqual([
      ['app/multi:v1', seeded.index.digest],
      ['app/single:v1', seeded.single.manifest.digest],
    ]);
    // The shared base layer is stored once: the payload holds exactly the unique blobs.
    const unique = new Set(
      [
        seeded.base,
        ...seeded.amd64.layers,
        ...seeded.arm64.layers,
        ...seeded.single.layers,
        seeded.amd64.config,
        seeded.arm64.config,
        seeded.single.config,
      ].map((b) => b.digest),
    );
    expect(inventory.totals.uniqueBlobs).toBe(unique.size);

    const unpacked = join(work, 'unpacked1');
    await mkdir(unpacked);
    await run('tar', ['-xzf', file, '-C', unpacked]);
    expect((await run('sha256sum', ['-c', 'sha256sums.txt'], { cwd: join(unpacked, 'demo-v1.0.0') })).stdout).toContain(
      'install.sh: OK',
    );
    const storage = join(work, 'served');
    await mkdir(storage);
    await run('tar', ['-xzf', join(unpacked, 'demo-v1.0.0', 'images.tar.gz'), '-C', storage]);
    const dataFiles = (await run('find', [join(storage, 'docker/registry/v2/blobs'), '-name', 'data'])).stdout
      .trim()
      .split('\n');
    expect(dataFiles).toHaveLength(unique.size + 4); // + the index and three image manifests
    const served = await startRegistry({ storageDir: storage, readOnly: true });
    try {
      expect((await fetchManifest({ base: served.url }, 'app/multi', 'v1'))?.digest).toBe(seeded.index.digest);
      expect((await fetchManifest({ base: served.url }, 'app/single', 'v1'))?.digest).toBe(
        seeded.single.manifest.digest,
      );
      for (const image of [seeded.amd64, seeded.arm64]) {
        expect((await fetchManifest({ base: served.url }, 'app/multi', image.manifest.digest))?.digest).toBe(
          image.manifest.digest,
        );
        for (const blob of [image.config, ...image.layers])
          expect((await fetchBlob({ base: served.url }, 'app/multi', blob.digest))?.equals(blob.bytes)).toBe(true);
      }
      for (const blob of [seeded.single.config, ...seeded.single.layers])
        expect((await fetchBlob({ base: served.url }, 'app/single', blob.digest))?.equals(blob.bytes)).toBe(true);
    } finally {
      await served.stop();
    }

    const clone = join(work, 'ws2');
    await cloneWorkspace(ws, clone);
    const second = await dockyard(['bundle', join(clone, 'releases', 'demo')], {
      DOCKYARD_STORE: join(work, 'store-2'),
    });
    expect(second.exitCode).toBe(0);
    expect(await sha256File(join(clone, 'dist', 'demo', 'bundle', 'demo-v1.0.0.tar.gz'))).toBe(await sha256File(file));

    const again = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
    expect(again.stdout).toMatch(/downloaded 0 blobs \(0 bytes\)/);
    expect(await sha256File(file)).toBe(await sha256File(join(clone, 'dist', 'demo', 'bundle', 'demo-v1.0.0.tar.gz')));

    const verified = await dockyard(['bundle', 'verify', file]);
    expect(verified.stdout).toMatch(/OK \(4 files and \d+ blobs checked, 2 images\)/);
    expect(verified.exitCode).toBe(0);
  });

  it('names the corrupt blob and the images it breaks when one byte is flipped', async () => {
    const ws = join(work, 'ws-flip');
    const project = await releaseWorkspace(
      ws,
      release('flip', ['app/multi:v1', 'app/single:v1'], {
        file: 'flip.tar',
        images: { format: 'oci', file: 'images.tar' },
      }),
      { 'install.sh': 'echo\n' },
    );
    const made = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
    expect(made.stderr).toBe('');
    const file = join(ws, 'dist', 'flip', 'bundle', 'flip.tar');
    const intact = await dockyard(['bundle', 'verify', file]);
    expect(intact.stderr).toBe('');
    expect(intact.exitCode).toBe(0);
    const outer = await indexTar(file);
    const payload = outer.get('flip-v1.0.0/images.tar')!;
    const inner = join(work, 'inner.tar');
    const handle = await open(file, 'r');
    const bytes = Buffer.alloc(payload.size);
    await handle.read(bytes, 0, payload.size, payload.offset);
    await handle.close();
    await (await import('node:fs/promises')).writeFile(inner, bytes);
    const base = (await indexTar(inner)).get(`blobs/sha256/${seeded.base.digest.slice(7)}`)!;
    const broken = join(work, 'broken.tar');
    await copyFile(file, broken);
    const at = payload.offset + base.offset + 100;
    const h = await open(broken, 'r+');
    const one = Buffer.alloc(1);
    await h.read(one, 0, 1, at);
    one[0] = one[0]! ^ 0xff;
    await h.write(one, 0, 1, at);
    await h.close();
    const result = await dockyard(['bundle', 'verify', broken]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`corrupt blob ${seeded.base.digest} in images.tar`);
    expect(result.stderr).toContain('breaks app/multi:v1, app/single:v1');
    expect(result.stderr).toContain('corrupt file images.tar');
  });

  it('refuses to read a bundle whose entry climbs out of the archive, with a message and no stack trace', async () => {
    const evil = Buffer.from('owned\n');
    const header = tarEntryHeader({ path: 'top/x', type: 'file', content: evil });
    header.write('../../etc/cron.d/x'.padEnd(100, '\0'), 0, 100, 'utf8');
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
    const file = join(work, 'evil.tar');
    await (
      await import('node:fs/promises')
    ).writeFile(file, Buffer.concat([header, evil, Buffer.alloc(512 - evil.length), Buffer.alloc(1024)]));
    for (const verb of [
      ['bundle', 'verify', file],
      ['bundle', 'push', file, '--to', registry.host],
    ]) {
      const result = await dockyard(verb);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        `${file}: entry ../../etc/cron.d/x has a ".." path component; refusing to read this archive`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads an OCI payload with skopeo, digests intact', async () => {
    const ws = join(work, 'ws-oci');
    const project = await releaseWorkspace(
      ws,
      release('ocidemo', ['app/multi:v1'], {
        images: { format: 'oci', file: 'images-oci.tar', platforms: ['linux/arm64'] },
      }),
      { 'install.sh': 'echo\n' },
    );
    expect((await dockyard(['bundle', project], { DOCKYARD_STORE: store() })).exitCode).toBe(0);
    const unpacked = join(work, 'unpacked-oci');
    await mkdir(unpacked);
    await run('tar', ['-xzf', join(ws, 'dist', 'ocidemo', 'bundle', 'ocidemo-v1.0.0.tar.gz'), '-C', unpacked]);
    const raw = (
      await run(
        'skopeo',
        ['inspect', '--raw', `oci-archive:${join(unpacked, 'ocidemo-v1.0.0', 'images-oci.tar')}:app/multi:v1`],
        { encoding: 'buffer' },
      )
    ).stdout as unknown as Buffer;
    const index = JSON.parse(raw.toString());
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual([seeded.arm64.manifest.digest]);
    const copied = join(work, 'oci-copied');
    await run('skopeo', [
      'copy',
      `oci-archive:${join(unpacked, 'ocidemo-v1.0.0', 'images-oci.tar')}:app/multi:v1`,
      `dir:${copied}`,
      '--override-arch',
      'arm64',
    ]);
    const files = await readdir(copied);
    for (const layer of seeded.arm64.layers) expect(files).toContain(layer.digest.slice(7));
  });

  it('a delta against the previous inventory carries only new blobs, and pushed onto the old release gives the full new one', async () => {
    const target = await startRegistry();
    try {
      const ws = join(work, 'ws-delta');
      const project = await releaseWorkspace(
        ws,
        release('delta', ['app/single:v1'], { images: { format: 'registry-dir', file: 'images.tar' } }),
        { 'install.sh': 'echo\n' },
      );
      expect((await dockyard(['bundle', project], { DOCKYARD_STORE: store() })).exitCode).toBe(0);
      const full = join(ws, 'dist', 'delta', 'bundle', 'delta-v1.0.0.tar.gz');
      const pushedFull = await dockyard(['bundle', 'push', full, '--to', target.host]);
      expect(pushedFull.stderr).toBe('');
      expect(pushedFull.exitCode).toBe(0);
      const previous = join(work, 'previous-inventory.json');
      await copyFile(join(ws, 'dist', 'delta', 'bundle', 'inventory.json'), previous);

      const v2 = buildImage({ layers: [seeded.base, randomLayer(90_000)] });
      await pushImage({ base: registry.url }, 'app/next', 'v2', v2);
      const ws2 = join(work, 'ws-delta2');
      const project2 = await releaseWorkspace(
        ws2,
        release('delta', ['app/single:v1', 'app/next:v2'], { images: { format: 'registry-dir', file: 'images.tar' } }),
        { 'install.sh': 'echo\n' },
      );
      const made = await dockyard(['bundle', project2, '--since', previous], { DOCKYARD_STORE: store() });
      expect(made.exitCode).toBe(0);
      const deltaFile = join(ws2, 'dist', 'delta', 'bundle', 'delta-v1.0.0-delta-from-delta-v1.0.0.tar.gz');
      const inventory = JSON.parse(
        await readFile(
          join(ws2, 'dist', 'delta', 'bundle', 'delta-v1.0.0-delta-from-delta-v1.0.0.inventory.json'),
          'utf8',
        ),
      );
      const omitted = inventory.omittedBlobs.map((o: { digest: string }) => o.digest).sort();
      expect(omitted).toEqual(
        [seeded.base.digest, seeded.single.config.digest, ...seeded.single.layers.slice(1).map((l) => l.digest)].sort(),
      );
      expect((await stat(deltaFile)).size).toBeLessThan((await stat(full)).size);
      expect((await dockyard(['bundle', 'verify', deltaFile])).exitCode).toBe(0);

      // The install site's registry as the baseline instead of the previous inventory: the same blobs are left out.
      const remote = join(work, 'remote-inventory.json');
      const listed = await dockyard(['inventory', `docker://${target.host}`, '--out', remote]);
      expect(listed.stdout).toContain(`1 image(s)`);
      const ws3 = join(work, 'ws-delta3');
      const project3 = await releaseWorkspace(
        ws3,
        release('delta', ['app/single:v1', 'app/next:v2'], { images: { format: 'registry-dir', file: 'images.tar' } }),
        { 'install.sh': 'echo\n' },
      );
      expect((await dockyard(['bundle', project3, '--since', remote], { DOCKYARD_STORE: store() })).exitCode).toBe(0);
      const [remoteDelta] = (await readdir(join(ws3, 'dist', 'delta', 'bundle'))).filter((f) =>
        f.endsWith('.inventory.json'),
      );
      const fromRemote = JSON.parse(await readFile(join(ws3, 'dist', 'delta', 'bundle', remoteDelta!), 'utf8'));
      expect(fromRemote.omittedBlobs.map((o: { digest: string }) => o.digest).sort()).toEqual(omitted);

      const fresh = await startRegistry();
      try {
        const refused = await dockyard(['bundle', 'push', deltaFile, '--to', fresh.host]);
        expect(refused.exitCode).toBe(1);
        expect(refused.stderr).toMatch(/left it out, and the registry does not have it/);
      } finally {
        await fresh.stop();
      }
      const pushed = await dockyard(['bundle', 'push', deltaFile, '--to', target.host]);
      expect(pushed.stderr).toBe('');
      expect(pushed.exitCode).toBe(0);
      expect((await fetchManifest({ base: target.url }, 'app/next', 'v2'))?.digest).toBe(v2.manifest.digest);
      expect((await fetchManifest({ base: target.url }, 'app/single', 'v1'))?.digest).toBe(
        seeded.single.manifest.digest,
      );
      await run('skopeo', [
        'copy',
        '--src-tls-verify=false',
        `docker://${target.host}/app/next:v2`,
        `dir:${join(work, 'next-pulled')}`,
      ]);
      expect(await readdir(join(work, 'next-pulled'))).toContain(seeded.base.digest.slice(7));

      // The tag moves in the registry and the lock follows: re-bundling the first release names the change against the inventory beside it.
      const moved = buildImage({ layers: [seeded.base, randomLayer(20_000)] });
      await pushImage({ base: registry.url }, 'app/single', 'v1', moved);
      expect((await dockyard(['resolve', project, '--update'])).exitCode).toBe(0);
      const rebundled = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
      expect(rebundled.stdout).toContain(
        `changed app/single:v1: ${seeded.single.manifest.digest} -> ${moved.manifest.digest}`,
      );
    } finally {
      await target.stop();
    }
  });

  it('names every image a bundle made before sync cannot find, the registry it looked in, and that sync fills it', async () => {
    // Locked at the sync source; the release registry the bundle reads from has only what an earlier sync copied.
    const releaseRegistry = await startRegistry();
    try {
      for (const repository of ['app/absent', 'app/gone'])
        await pushImage(
          { base: registry.url },
          repository,
          repository === 'app/gone' ? 'v2' : 'v1',
          buildImage({ layers: [randomLayer(1_000)] }),
        );
      expect(
        (
          await dockyard([
            'copy',
            `docker://${registry.host}/app/single:v1`,
            `docker://${releaseRegistry.host}/app/single:v1`,
          ])
        ).exitCode,
      ).toBe(0);
      const ws = join(work, 'ws-unsynced');
      const spec = {
        ...release('unsynced', ['app/absent:v1', 'app/single:v1', 'app/gone:v2'], {
          images: { format: 'registry-dir', file: 'images.tar' },
        }),
        sync: { from: { registry: registry.host }, to: [{ registry: releaseRegistry.host }] },
      };
      const project = await releaseWorkspace(ws, spec, { 'install.sh': 'echo\n' });
      const result = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
      expect(result.exitCode).toBe(1);
      for (const image of ['app/absent:v1', 'app/gone:v2']) {
        expect(result.stderr).toMatch(
          new RegExp(
            `${releaseRegistry.host}/${image}@sha256:[0-9a-f]{64} is missing from ${releaseRegistry.host}, the registry the bundle reads it from; sync fills it \\(nx run unsynced:sync`,
          ),
        );
      }
      expect(result.stderr).not.toContain('app/single');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await releaseRegistry.stop();
    }
  });

  it('honours --platform for a plugin package: the arm64 image is packed and the left-out platform named', async () => {
    const image = `${registry.host}/release/compass-plugins-arm:v0.1.0`;
    await pushIndex({ base: registry.url }, 'release/compass-plugins-arm', 'v0.1.0', [seeded.amd64, seeded.arm64]);
    const plugin = {
      kind: 'Plugin',
      name: 'arm',
      releaseRegistry: registry.host,
      spec: { class: 'tools', version: 'v0.1.0', description: 'arm plugin', service: { port: 8091, image } },
    };
    const ws = join(work, 'ws-arm');
    const dir = await projectWorkspace(ws, [{ folder: 'plugins/arm', spec: plugin }]);
    const made = await dockyard(['bundle', dir, '--platform', 'linux/arm64'], { DOCKYARD_STORE: store() });
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    expect(made.stdout).toContain(
      `left out linux/amd64 of ${image} in compass-plugins-arm-service-v0.1.0-image.tar.gz (kept linux/arm64/v8)`,
    );
    const unpacked = join(work, 'arm-pkg');
    await mkdir(unpacked);
    await run('tar', ['-xzf', join(ws, 'dist', 'arm', 'bundle', 'compass-plugins-arm-v0.1.0.tar.gz'), '-C', unpacked]);
    const archive = join(unpacked, 'compass-plugins-arm-service-v0.1.0-image.tar.gz');
    const manifest = JSON.parse((await run('tar', ['-xzOf', archive, 'manifest.json'])).stdout);
    expect(manifest).toEqual([
      {
        Config: `${seeded.arm64.config.digest.slice(7)}.json`,
        RepoTags: [image],
        Layers: seeded.arm64.layers.map((l) => `${l.digest.slice(7)}/layer.tar`),
      },
    ]);
  });

  it('prints progress while bundling and pushing, and pushes under a registry prefix as sync does, unchanged tags skipped', async () => {
    const target = await startRegistry();
    try {
      const ws = join(work, 'ws-prefix');
      const project = await releaseWorkspace(
        ws,
        release('prefixed', ['app/multi:v1', 'app/single:v1'], {
          file: 'prefixed.tar',
          images: { format: 'registry-dir', file: 'images.tar' },
        }),
        { 'install.sh': 'echo\n' },
      );
      const made = await dockyard(['bundle', project], { DOCKYARD_STORE: store() });
      expect(made.exitCode).toBe(0);
      expect(made.stdout).toMatch(
        /^2\/2 images, [\d.]+ [KMG]?B copied \([\d.]+ [KMG]?B\/s\), \d+ blobs present, \d+ mounted$/m,
      );
      const file = join(ws, 'dist', 'prefixed', 'bundle', 'prefixed.tar');
      const pushed = await dockyard(['bundle', 'push', file, '--to', `${target.host}/mirror`]);
      expect(pushed.stderr).toBe('');
      expect(pushed.exitCode).toBe(0);
      expect(pushed.stdout).toMatch(/^2\/2 images, [\d.]+ [KMG]?B copied \([\d.]+ [KMG]?B\/s\)/m);
      expect(pushed.stdout).toContain(`pushed docker://${target.host}/mirror/app/multi:v1 ${seeded.index.digest}`);
      expect((await fetchManifest({ base: target.url }, 'mirror/app/multi', 'v1'))?.digest).toBe(seeded.index.digest);
      // app/single:v1 was moved by the delta test above: the bundle's inventory says which image it carries.
      const single = JSON.parse(
        await readFile(join(ws, 'dist', 'prefixed', 'bundle', 'inventory.json'), 'utf8'),
      ).images.find((i: { name: string }) => i.name === 'app/single:v1').digest;
      expect((await fetchManifest({ base: target.url }, 'mirror/app/single', 'v1'))?.digest).toBe(single);
      expect(
        (await fetchBlob({ base: target.url }, 'mirror/app/single', seeded.base.digest))?.equals(seeded.base.bytes),
      ).toBe(true);
      // The shared base layer went up once and was mounted into the other repository.
      expect(pushed.stdout).toMatch(/2 images: \d+ blobs uploaded \(\d+ bytes\), \d+ already there, [1-9]\d* mounted/);
      const again = await dockyard(['bundle', 'push', file, '--to', `docker://${target.host}/mirror`]);
      expect(again.exitCode).toBe(0);
      expect(again.stdout).toContain(`unchanged docker://${target.host}/mirror/app/single:v1 ${single}`);
      expect(again.stdout).toContain('2 images: 0 blobs uploaded (0 bytes)');
    } finally {
      await target.stop();
    }
  });
});
