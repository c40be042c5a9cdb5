import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneWorkspace, releaseWorkspace } from '../bundle/workspace';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { s3Client, startS3Server, type RunningS3Server } from '../support/s3-server';
import { seedImages, type SeededImages } from '../support/seed';
import { fetchBlob } from '../support/test-images';
import { removeTempDir, tempDir } from '../support/tmp';

const CACHE_USER = 'ci';
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const CACHE_PASSWORD = 'cache-secret-4e1f';

/**
 * DOCKYARD_STORE naming a registry repository or an S3 prefix: two machines (two clones, two empty local stores)
 * bundle the same Release; the first downloads from the source registry and pushes every blob to the shared tier,
 * the second gets every blob its store needs from the shared tier and reads only manifests and image configs (as
 * metadata) from the source registry.
 */
describe('the content store with a shared second tier', () => {
  let source: RunningRegistry;
  let proxy: FaultProxy;
  let cache: RunningRegistry;
  let s3: RunningS3Server;
  let seeded: SeededImages;
  let work: string;
  let project: string;
  let dockerConfig: string;

  const blobs = () =>
    [
      seeded.base,
      ...seeded.amd64.layers,
      ...seeded.arm64.layers,
      ...seeded.single.layers,
      seeded.amd64.config,
      seeded.arm64.config,
      seeded.single.config,
    ].filter((b, i, all) => all.findIndex((o) => o.digest === b.digest) === i);
  /** Digests of the blobs read from the source registry since the requests were last cleared, in order. */
  const sourceBlobGets = () =>
    proxy.requests
      .filter((r) => r.method === 'GET' && r.path.includes('/blobs/sha256:'))
      .map((r) => r.path.split('/blobs/')[1]!);
  const configs = () => [seeded.amd64.config, seeded.arm64.config, seeded.single.config].map((b) => b.digest);

  /**
   * The first machine reads every blob once into its store, plus the reads of image configs as metadata (the
   * bundle reads a single-arch image's platform from its config), which never go through the content store.
   */
  function metadataReads(gets: string[]): string[] {
    expect([...new Set(gets)].sort()).toEqual(
      blobs()
        .map((b) => b.digest)
        .sort(),
    );
    const extra = gets.filter((digest, i) => gets.indexOf(digest) !== i);
    for (const digest of extra) expect(configs()).toContain(digest);
    return extra;
  }

  /** Bundles the project of the clone `machine` with its own empty local store; returns the run and the bundle's bytes. */
  async function bundleOn(machine: string, env: Record<string, string>, args: string[] = []) {
    const clone = join(work, machine);
    await cloneWorkspace(join(work, 'origin'), clone);
    const run = await dockyard(['bundle', join(clone, 'releases', 'shared'), ...args], {
      XDG_CACHE_HOME: join(work, `${machine}-cache`),
      ...env,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(CACHE_PASSWORD);
    const bundle = await readFile(join(clone, 'dist', 'shared', 'bundle', 'shared-v1.0.0.tar.gz'));
    return { run, bundle };
  }

  beforeAll(async () => {
    work = await tempDir('shared-store');
    source = await startRegistry();
    seeded = await seedImages(source.url);
    proxy = await startFaultProxy(source.url);
    cache = await startRegistry({ auth: { username: CACHE_USER, password: CACHE_PASSWORD } });
    s3 = await startS3Server(['blobs']);
    dockerConfig = join(work, 'docker');
    await mkdir(dockerConfig);
    const auth = Buffer.from(`${CACHE_USER}:${CACHE_PASSWORD}`).toString('base64');
    await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [cache.host]: { auth } } }));
    project = await releaseWorkspace(join(work, 'origin'), {
      name: 'shared',
      version: 'v1.0.0',
      images: { extra: ['app/multi:v1', 'app/single:v1'] },
      bundle: {
        name: 'shared-{version}',
        images: { from: proxy.host, format: 'oci', file: 'images.tar' },
      },
    });
    expect(project).toContain('releases/shared');
  });
  afterAll(async () => {
    await Promise.all([proxy?.stop(), source?.stop(), cache?.stop(), s3?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('on a registry repository: the second machine takes every blob from it, none from the source', async () => {
    const env = { DOCKYARD_STORE: `docker://${cache.host}/dockyard/blobs`, DOCKER_CONFIG: dockerConfig };
    proxy.requests.length = 0;
    const first = await bundleOn('registry-m1', env);
    const metadata = metadataReads(sourceBlobGets());
    const authorization = `Basic ${Buffer.from(`${CACHE_USER}:${CACHE_PASSWORD}`).toString('base64')}`;
    for (const blob of blobs())
      expect(
        (await fetchBlob({ base: cache.url, authorization }, 'dockyard/blobs', blob.digest))?.equals(blob.bytes),
      ).toBe(true);
    expect(
      (await fetchBlob({ base: cache.url, authorization }, 'dockyard/blobs', sha256(first.bundle)))?.equals(
        first.bundle,
      ),
    ).toBe(true);

    proxy.requests.length = 0;
    const second = await bundleOn('registry-m2', env);
    expect(sourceBlobGets()).toEqual(metadata);
    expect(second.bundle.equals(first.bundle)).toBe(true);

    // A local store named on the command line keeps the shared tier behind it.
    proxy.requests.length = 0;
    const named = await bundleOn('registry-m4', env, ['--store', join(work, 'registry-m4-store')]);
    expect(sourceBlobGets()).toEqual(metadata);
    expect(named.bundle.equals(first.bundle)).toBe(true);
    expect((await readdir(join(work, 'registry-m4-store', 'blobs', 'sha256'))).length).toBeGreaterThan(0);

    // Without the docker config the cache refuses: the run fails naming the store, never a password.
    const refused = await dockyard(['bundle', join(work, 'registry-m2', 'releases', 'shared')], {
      XDG_CACHE_HOME: join(work, 'registry-m3-cache'),
      DOCKYARD_STORE: `docker://${cache.host}/dockyard/blobs`,
      DOCKER_CONFIG: join(work, 'no-docker-config'),
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`the shared store docker://${cache.host}/dockyard/blobs: reading sha256:`);
    expect(refused.stderr).toContain('401');
  });

  it('on an S3 prefix: the same, and a damaged copy there is never used', async () => {
    const env = {
      DOCKYARD_STORE: 's3://blobs/ci/store',
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_ENDPOINT_URL: s3.endpoint,
      AWS_REGION: 'us-east-1',
    };
    proxy.requests.length = 0;
    const first = await bundleOn('s3-m1', env);
    const metadata = metadataReads(sourceBlobGets());
    const client = s3Client(s3);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'blobs', Prefix: 'ci/store/' }));
    // Every blob the bundle read, and the finished bundle itself (its descriptor is what Nx caches).
    const kept = [...blobs().map((b) => b.digest), sha256(first.bundle)];
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      kept.map((digest) => `ci/store/blobs/sha256/${digest.slice('sha256:'.length)}`).sort(),
    );

    proxy.requests.length = 0;
    const second = await bundleOn('s3-m2', env);
    expect(sourceBlobGets()).toEqual(metadata);
    expect(second.bundle.equals(first.bundle)).toBe(true);

    // One object overwritten with other bytes: the third machine fetches that blob from the source instead.
    const damaged = seeded.single.layers.at(-1)!;
    const key = `ci/store/blobs/sha256/${damaged.digest.slice('sha256:'.length)}`;
    await client.send(new PutObjectCommand({ Bucket: 'blobs', Key: key, Body: Buffer.alloc(damaged.bytes.length) }));
    expect(
      (await (await client.send(new GetObjectCommand({ Bucket: 'blobs', Key: key }))).Body!.transformToByteArray())[0],
    ).toBe(0);
    proxy.requests.length = 0;
    const third = await bundleOn('s3-m3', env);
    expect(sourceBlobGets().sort()).toEqual([damaged.digest, ...metadata].sort());
    expect(third.bundle.equals(first.bundle)).toBe(true);
  });
});
