import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerEngine, type RunningDocker } from '../support/docker';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { runContainer } from '../support/run-container';
import { removeTempDir, tempDir } from '../support/tmp';
import { busyboxRootfsTar } from '../support/busybox-layer';
import { dockyard } from '../support/cli';
import { seedImages, type SeededImages } from '../support/seed';
import { buildImage, fetchBlob, fetchManifest, layerFromTar, pushImage, randomLayer } from '../support/test-images';
import { indexTar } from '@dockyard/oci';

type ArchiveManifest = { Config: string; RepoTags: string[]; Layers: string[] }[];
const hex = (digest: string) => digest.slice('sha256:'.length);

async function loadArchive(engine: RunningDocker, archive: string): Promise<void> {
  await engine.docker
    .loadImage(createReadStream(archive))
    .then(
      (stream) =>
        new Promise((resolve, reject) =>
          engine.docker.modem.followProgress(stream, (err: Error | null, out: unknown) =>
            err ? reject(err) : resolve(out),
          ),
        ),
    );
}

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
      const result = await dockyard([
        'copy',
        `docker://${source.host}/tools/busybox:v1`,
        `docker-archive:${archive}:${tag}`,
      ]);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);

      await loadArchive(engine, archive);
      const inspected = await engine.docker.getImage(tag).inspect();
      expect(inspected.RepoTags).toEqual([tag]);
      const run = await runContainer(engine, tag, ['echo', 'loaded by dockyard']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.trim()).toBe('loaded by dockyard');
    });

    it('picks the asked platform of an index: the archive holds that image and only it', async () => {
      const archive = join(work, 'multi.tar');
      const result = await dockyard([
        'copy',
        '--platform',
        'linux/arm64',
        `docker://${source.host}/app/multi:v1`,
        `docker-archive:${archive}:app/multi:v1`,
      ]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(seeded.arm64.manifest.digest);
      const members = await indexTar(archive);
      const manifest = JSON.parse(
        (await readFile(archive))
          .subarray(
            members.get('manifest.json')!.offset,
            members.get('manifest.json')!.offset + members.get('manifest.json')!.size,
          )
          .toString(),
      ) as ArchiveManifest;
      expect(manifest).toEqual([
        {
          Config: `${hex(seeded.arm64.config.digest)}.json`,
          RepoTags: ['app/multi:v1'],
          Layers: seeded.arm64.layers.map((l) => `${hex(l.digest)}/layer.tar`),
        },
      ]);
      expect([...members.keys()].filter((name) => name.endsWith('/layer.tar')).sort()).toEqual(
        seeded.arm64.layers.map((l) => `${hex(l.digest)}/layer.tar`).sort(),
      );
    });

    it('holds many images from several repositories, every tag restored by docker load and each shared layer stored once', async () => {
      const base = layerFromTar(busyboxRootfsTar());
      const images = [
        ['tools/one', 'v1', buildImage({ layers: [base, randomLayer(20_000)], cmd: ['sh'] })],
        ['tools/one', 'v2', buildImage({ layers: [base, randomLayer(20_000)], cmd: ['sh'] })],
        ['apps/two', 'v1', buildImage({ layers: [base, randomLayer(20_000)], cmd: ['sh'] })],
      ] as const;
      for (const [repository, tag, image] of images) await pushImage({ base: source.url }, repository, tag, image);
      const archive = join(work, 'three.tar');
      const result = await dockyard([
        'copy',
        ...images.map(([repository, tag]) => `docker://${source.host}/${repository}:${tag}`),
        `docker-archive:${archive}`,
      ]);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);

      const members = await indexTar(archive);
      expect([...members.keys()].filter((name) => name.endsWith('/layer.tar'))).toHaveLength(4);
      expect(members.get(`${hex(base.digest)}/layer.tar`)?.size).toBe(base.bytes.length);

      await loadArchive(engine, archive);
      for (const [repository, tag, image] of images) {
        const inspected = await engine.docker.getImage(`${source.host}/${repository}:${tag}`).inspect();
        expect(inspected.Id).toBe(image.config.digest);
        expect(inspected.RepoTags).toEqual([`${source.host}/${repository}:${tag}`]);
      }
      const run = await runContainer(engine, `${source.host}/apps/two:v1`, ['echo', 'three in one']);
      expect(run.stdout.trim()).toBe('three in one');
    });

    it('keeps the tag of a registry-dir source', async () => {
      const dir = join(work, 'tagged-storage');
      expect(
        (await dockyard(['copy', `docker://${source.host}/app/single:v1`, `registry-dir:${dir}:release/single:v7`]))
          .exitCode,
      ).toBe(0);
      const archive = join(work, 'from-storage.tar');
      expect(
        (await dockyard(['copy', `registry-dir:${dir}:release/single:v7`, `docker-archive:${archive}`])).exitCode,
      ).toBe(0);
      await loadArchive(engine, archive);
      expect((await engine.docker.getImage('release/single:v7').inspect()).RepoTags).toEqual(['release/single:v7']);
    });
  });

  it('refuses a platform the image does not have instead of copying another one', async () => {
    const result = await dockyard([
      'copy',
      '--platform',
      'linux/arm64',
      `docker://${source.host}/app/single:v1`,
      `oci:${join(work, 'wrong-platform')}:x`,
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `image ${seeded.single.manifest.digest} is linux/amd64 only; it has no linux/arm64 image`,
    );
    await expect(readFile(join(work, 'wrong-platform', 'index.json'))).rejects.toThrow(/ENOENT/);
  });

  it('says what is wrong with a location that names no folder, or an archive that is a folder', async () => {
    const noDir = await dockyard(['copy', `docker://${source.host}/app/single:v1`, 'oci:'], {}, work);
    expect(noDir.exitCode).toBe(2);
    expect(noDir.stderr).toContain('oci: needs a dir (oci:DIR[:REF]); to use the current folder write oci:.');
    const folder = await dockyard(['copy', `docker://${source.host}/app/single:v1`, `docker-archive:${work}`]);
    expect(folder.exitCode).toBe(1);
    expect(folder.stderr).toContain(
      `${work} is a folder; a docker archive is a file: name one inside it, e.g. ${work}/images.tar`,
    );
    expect(folder.stderr).not.toContain('EISDIR');
  });

  it('links blobs registry storage already holds for another repository instead of downloading them again', async () => {
    const dir = join(work, 'shared-storage');
    const first = await dockyard([
      'copy',
      `docker://${source.host}/app/single:v1`,
      `registry-dir:${dir}:one/single:v1`,
    ]);
    expect(first.stdout).toContain(`${seeded.single.layers.length + 1} blobs copied`);
    const second = await dockyard([
      'copy',
      `docker://${source.host}/app/single:v1`,
      `registry-dir:${dir}:two/single:v1`,
    ]);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`0 blobs copied, 0 bytes; 0 present; ${seeded.single.layers.length + 1} mounted`);
    const served = await startRegistry({ storageDir: dir, readOnly: true });
    try {
      for (const blob of [seeded.single.config, ...seeded.single.layers])
        expect(await fetchBlob({ base: served.url }, 'two/single', blob.digest)).toBeDefined();
    } finally {
      await served.stop();
    }
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
      expect((await fetchManifest({ base: served.url }, 'app/single', 'v1'))?.digest).toBe(
        seeded.single.manifest.digest,
      );
      for (const image of [seeded.amd64, seeded.arm64]) {
        expect((await fetchManifest({ base: served.url }, 'app/multi', image.manifest.digest))?.digest).toBe(
          image.manifest.digest,
        );
        for (const blob of [image.config, ...image.layers]) {
          const body = await fetchBlob({ base: served.url }, 'app/multi', blob.digest);
          expect(body && `sha256:${createHash('sha256').update(body).digest('hex')}`).toBe(blob.digest);
        }
      }
      // And dockyard pulls it back out of the served storage, digests unchanged.
      const back = await dockyard([
        'copy',
        `docker://${served.host}/app/multi:v1`,
        `oci:${join(work, 'from-served')}:app/multi:v1`,
      ]);
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
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual([
      'app/multi:v1-0',
      'app/multi:v1-2',
      'app/single:v1-1',
      'app/single:v1-3',
    ]);

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
