import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../digest';
import type { Blob } from '../image/model';
import type { Descriptor } from '../manifest';
import { ContentStore } from './content-store';
import { sharedStoreAt, type SharedBlobStore } from './shared-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shared-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The SharedBlobStore contract in memory (the registry and S3 ones run against real servers in test/ci). */
function memoryTier(): SharedBlobStore & { blobs: Map<string, Buffer>; puts: string[] } {
  const blobs = new Map<string, Buffer>();
  const puts: string[] = [];
  return {
    key: 'memory://tier',
    blobs,
    puts,
    open: async (d: Descriptor, offset: number) =>
      blobs.has(d.digest) ? Readable.from([blobs.get(d.digest)!.subarray(offset)]) : undefined,
    put: async (d: Descriptor, file: string) => {
      if (blobs.has(d.digest)) return false;
      blobs.set(d.digest, await readFile(file));
      puts.push(d.digest);
      return true;
    },
  };
}

function origin(bytes: Buffer): Blob & { opens: number } {
  const blob = {
    opens: 0,
    descriptor: { mediaType: 'application/octet-stream', digest: sha256Digest(bytes), size: bytes.length },
    origin: { key: 'registry:source' },
    open: async () => {
      blob.opens++;
      return Readable.from([bytes]);
    },
  };
  return blob;
}

describe('a content store with a shared tier', () => {
  const bytes = Buffer.from('layer bytes '.repeat(500));

  it('pushes what it downloads or makes, and a second machine takes it from the tier, not the origin', async () => {
    const tier = memoryTier();
    const first = new ContentStore(join(dir, 'm1'), tier);
    const blob = origin(bytes);
    await first.fetch(blob);
    const made = await first.ingest(Readable.from([Buffer.from('built layer')]), 'application/octet-stream');
    expect(tier.puts).toEqual([blob.descriptor.digest, made.digest]);

    const second = new ContentStore(join(dir, 'm2'), tier);
    await second.fetch(blob);
    expect(blob.opens).toBe(1);
    expect((await readFile(second.path(blob.descriptor.digest))).equals(bytes)).toBe(true);
    expect(tier.puts).toHaveLength(2);
  });

  it('never uses a damaged copy in the tier: the blob comes from its origin', async () => {
    const tier = memoryTier();
    const blob = origin(bytes);
    tier.blobs.set(blob.descriptor.digest, Buffer.alloc(bytes.length));
    const store = new ContentStore(dir, tier);
    await store.fetch(blob);
    expect(blob.opens).toBe(1);
    expect((await readFile(store.path(blob.descriptor.digest))).equals(bytes)).toBe(true);
  });

  it('DOCKYARD_STORE names a folder, a registry repository or an S3 prefix; keys never hold credentials', () => {
    expect(ContentStore.default({ DOCKYARD_STORE: '/x/store' })).toMatchObject({ dir: '/x/store', shared: undefined });
    const viaRegistry = ContentStore.default({
      DOCKYARD_STORE: 'docker://cache.example:5000/ci/blobs',
      XDG_CACHE_HOME: '/c',
    });
    expect(viaRegistry.dir).toBe('/c/dockyard/store');
    expect(viaRegistry.shared?.key).toBe('docker://cache.example:5000/ci/blobs');
    expect(sharedStoreAt('s3://bucket/ci/store/', {}).key).toBe('s3://bucket/ci/store');
    expect(() => sharedStoreAt('docker://user:pw@cache.example/blobs', {})).toThrow(
      /^docker:\/\/cache\.example\/blobs: not a registry repository/,
    );
    expect(() => sharedStoreAt('docker://cache.example/blobs:latest', {})).toThrow('not a registry repository');
    expect(() => sharedStoreAt('s3://B/x', {})).toThrow('not an S3 location');
    expect(() => sharedStoreAt('s3://AKIA:secret@bucket/x', {})).toThrow(/^s3:\/\/bucket\/x: not an S3 location/);
  });
});
