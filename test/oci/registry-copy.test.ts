import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { SOURCE_INDEX_ANNOTATION } from '@dockyard/oci';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { seedImages, type SeededImages } from '../support/seed';
import { fetchBlob, fetchManifest } from '../support/test-images';

describe('registry → registry', () => {
  let source: RunningRegistry;
  let target: RunningRegistry;
  let watched: FaultProxy;
  let seeded: SeededImages;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    watched = await startFaultProxy(target.url);
    seeded = await seedImages(source.url);
  });
  afterAll(async () => {
    await watched?.stop();
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('copies a multi-arch index with every digest identical, then re-syncs without writing', async () => {
    const first = await dockyard([
      'copy',
      `docker://${source.host}/app/multi:v1`,
      `docker://${watched.host}/mirror/multi:v1`,
    ]);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const index = await fetchManifest({ base: target.url }, 'mirror/multi', 'v1');
    expect(index?.digest).toBe(seeded.index.digest);
    expect(index?.bytes.equals(seeded.index.bytes)).toBe(true);
    for (const image of [seeded.amd64, seeded.arm64]) {
      expect((await fetchManifest({ base: target.url }, 'mirror/multi', image.manifest.digest))?.digest).toBe(
        image.manifest.digest,
      );
      for (const blob of [image.config, ...image.layers])
        expect((await fetchBlob({ base: target.url }, 'mirror/multi', blob.digest))?.equals(blob.bytes)).toBe(true);
    }
    // The shared base layer crossed the wire once.
    const baseChecks = watched.requests.filter((r) => r.method === 'HEAD' && r.path.endsWith(seeded.base.digest));
    expect(baseChecks).toHaveLength(1);

    watched.requests.length = 0;
    const again = await dockyard([
      'copy',
      `docker://${source.host}/app/multi:v1`,
      `docker://${watched.host}/mirror/multi:v1`,
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^unchanged /);
    expect(watched.requests.map((r) => `${r.method} ${r.path}`).filter((r) => !r.endsWith('/v2/'))).toEqual([
      'HEAD /v2/mirror/multi/manifests/v1',
    ]);
  });

  it('copies a platform subset as a filtered index that records the source digest', async () => {
    const result = await dockyard([
      'copy',
      '--platform',
      'linux/arm64',
      `docker://${source.host}/app/multi:v1`,
      `docker://${target.host}/subset/multi:v1`,
    ]);
    expect(result.exitCode).toBe(0);
    const index = await fetchManifest({ base: target.url }, 'subset/multi', 'v1');
    const json = JSON.parse(index!.bytes.toString()) as {
      manifests: { digest: string }[];
      annotations: Record<string, string>;
    };
    expect(json.manifests.map((m) => m.digest)).toEqual([seeded.arm64.manifest.digest]);
    expect(json.annotations[SOURCE_INDEX_ANNOTATION]).toBe(seeded.index.digest);
    expect(await fetchManifest({ base: target.url }, 'subset/multi', seeded.amd64.manifest.digest)).toBeUndefined();
    expect(await fetchBlob({ base: target.url }, 'subset/multi', seeded.amd64.layers[1]!.digest)).toBeUndefined();
  });

  it('keeps tag and digest together: fetches by digest, writes the tag', async () => {
    const ref = `${source.host}/app/single:v1@${seeded.single.manifest.digest}`;
    const result = await dockyard(['copy', `docker://${ref}`, `docker://${target.host}/pinned/single:v1`]);
    expect(result.exitCode).toBe(0);
    expect((await fetchManifest({ base: target.url }, 'pinned/single', 'v1'))?.digest).toBe(
      seeded.single.manifest.digest,
    );

    const wrong = `${source.host}/app/single:v1@sha256:${'0'.repeat(64)}`;
    const failed = await dockyard(['copy', `docker://${wrong}`, `docker://${target.host}/pinned/wrong:v1`]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/MANIFEST_UNKNOWN|not found/);
  });

  it('mounts blobs from the source repository when copying within one registry', async () => {
    const result = await dockyard([
      'copy',
      `docker://${source.host}/app/single:v1`,
      `docker://${source.host}/copies/single:v1`,
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/0 blobs copied, 0 bytes; 0 present; 3 mounted/);
    expect((await fetchManifest({ base: source.url }, 'copies/single', 'v1'))?.digest).toBe(
      seeded.single.manifest.digest,
    );
  });
});
