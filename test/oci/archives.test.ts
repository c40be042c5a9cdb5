import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerEngine, type RunningDocker } from '../harness/docker';
import { startRegistry, type RunningRegistry } from '../harness/registry';
import { runContainer } from '../harness/run-container';
import { removeTempDir, tempDir } from '../harness/tmp';
import { busyboxRootfsTar } from './support/busybox-layer';
import { dockyard } from './support/cli';
import { seedImages, type SeededImages } from './support/seed';
import { buildImage, fetchBlob, fetchManifest, layerFromTar, pushImage, randomLayer } from './support/test-images';

describe('archives and directories', () => {
  let source: RunningRegistry;
  let seeded: SeededImages;
  let work: string;

  beforeAll(async () => {
    source = await startRegistry();
    seeded = await seedImages(source.url);
    work = await tempDir('oci-archives');
  });
  afterAll(async () => {
    await source?.stop();
    if (work) await removeTempDir(work);
  });

  describe('docker-archive', () => {
    let engine: RunningDocker;
    beforeAll(async () => {
      engine = await startDockerEngine();
    });
    afterAll(async () => {
      await engine?.stop();
    });

    it('writes an archive docker loads and runs, with the tag kept exactly as given', async () => {
      const image = buildImage({ layers: [layerFromTar(busyboxRootfsTar()), randomLayer(50_000)], cmd: ['sh'] });
      await pushImage({ base: source.url }, 'tools/busybox', 'v1', image);
      const archive = join(work, 'busybox.tar');
      const tag = `${source.host}/release/busybox:v1.2.3`;
      const result = await dockyard(['copy', `docker://${source.host}/tools/busybox:v1`, `docker-archive:${archive}:${tag}`]);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);

      await engine.docker.loadImage(createReadStream(archive)).then(
        (stream) => new Promise((resolve, reject) => engine.docker.modem.followProgress(stream, (err: Error | null, out: unknown) => (err ? reject(err) : resolve(out)))),
      );
      const inspected = await engine.docker.getImage(tag).inspect();
      expect(inspected.RepoTags).toEqual([tag]);
      const run = await runContainer(engine, tag, ['echo', 'loaded by dockyard']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim()).toBe('loaded by dockyard');
    });

    it('picks one platform of an index for the archive', async () => {
      const archive = join(work, 'multi.tar');
      const result = await dockyard(['copy', '--platform', 'linux/arm64', `docker://${source.host}/app/multi:v1`, `docker-archive:${archive}:app/multi:v1`]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(seeded.arm64.manifest.digest);
    });
  });

  it('writes registry storage that a stock registry serves as is', async () => {
    const dir = join(work, 'registry-dir');
    for (const image of ['app/multi:v1', 'app/single:v1']) {
      const result = await dockyard(['copy', `docker://${source.host}/${image}`, `registry-dir:${dir}`]);
      expect(result.exitCode).toBe(0);
    }
    const served = await startRegistry({ storageDir: dir, readOnly: true });
    try {
      expect((await fetchManifest({ base: served.url }, 'app/multi', 'v1'))?.digest).toBe(seeded.index.digest);
      expect((await fetchManifest({ base: served.url }, 'app/single', 'v1'))?.digest).toBe(seeded.single.manifest.digest);
      for (const image of [seeded.amd64, seeded.arm64]) {
        expect((await fetchManifest({ base: served.url }, 'app/multi', image.manifest.digest))?.digest).toBe(image.manifest.digest);
        for (const blob of [image.config, ...image.layers]) {
          const body = await fetchBlob({ base: served.url }, 'app/multi', blob.digest);
          expect(body && `sha256:${createHash('sha256').update(body).digest('hex')}`).toBe(blob.digest);
        }
      }
      // And dockyard pulls it back out of the served storage, digests unchanged.
      const back = await dockyard(['copy', `docker://${served.host}/app/multi:v1`, `oci:${join(work, 'from-served')}:app/multi:v1`]);
      expect(back.exitCode).toBe(0);
      expect(back.stdout).toContain(seeded.index.digest);
    } finally {
      await served.stop();
    }
  });

  it('keeps an OCI layout consistent under parallel writers and reads it back', async () => {
    const dir = join(work, 'layout');
    const runs = await Promise.all(
      ['app/multi:v1', 'app/single:v1', 'app/multi:v1', 'app/single:v1'].map((image, i) =>
        dockyard(['copy', `docker://${source.host}/${image}`, `oci:${dir}:${image}-${i}`]),
      ),
    );
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0, 0]);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual(['app/multi:v1-0', 'app/multi:v1-2', 'app/single:v1-1', 'app/single:v1-3']);

    const target = await startRegistry();
    try {
      const result = await dockyard(['copy', `oci:${dir}:app/multi:v1-2`, `docker://${target.host}/restored/multi:v1`]);
      expect(result.exitCode).toBe(0);
      expect((await fetchManifest({ base: target.url }, 'restored/multi', 'v1'))?.digest).toBe(seeded.index.digest);
    } finally {
      await target.stop();
    }
  });
});
