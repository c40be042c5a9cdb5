import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../digest';
import type { Blob } from '../image/model';
import { MediaType } from '../media-types';
import { ContentStore } from './content-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'content-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const data = Buffer.from('0123456789'.repeat(1000));

/** A remote blob that records the offsets it was opened at and can serve wrong bytes. */
function remote(bytes: Buffer, served = bytes): Blob & { opens: number[] } {
  const opens: number[] = [];
  return {
    opens,
    descriptor: { mediaType: 'application/octet-stream', digest: sha256Digest(bytes), size: bytes.length },
    origin: { key: 'registry:example' },
    open: async (offset = 0) => {
      opens.push(offset);
      return Readable.from([served.subarray(offset)]);
    },
  };
}

describe('content store', () => {
  it('fetches a blob once; a second fetch reads nothing remote', async () => {
    const store = new ContentStore(dir);
    const blob = remote(data);
    await store.fetch(blob);
    await store.fetch(blob);
    expect(blob.opens).toEqual([0]);
    expect((await readFile(store.path(blob.descriptor.digest))).equals(data)).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
  });

  it('resumes the partial download a killed process left, from where it stopped', async () => {
    const store = new ContentStore(dir);
    const blob = remote(data);
    const final = store.path(blob.descriptor.digest);
    await store.fetch(remote(Buffer.from('x'))); // creates the folders
    await writeFile(`${final}.partial.999999999`, data.subarray(0, 4000));
    await store.fetch(blob);
    expect(blob.opens).toEqual([4000]);
    expect((await readFile(final)).equals(data)).toBe(true);
    expect((await readdir(join(dir, 'blobs', 'sha256'))).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it('stores nothing when the bytes do not match the digest', async () => {
    const store = new ContentStore(dir);
    const corrupt = Buffer.from(data);
    corrupt[500] ^= 1;
    const blob = remote(data, corrupt);
    await expect(store.fetch(blob)).rejects.toThrow(/does not match the expected/);
    expect(await store.has(blob.descriptor.digest)).toBe(false);
    expect((await readdir(join(dir, 'blobs', 'sha256'))).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it('ingests a stream of unknown digest under the digest of its bytes', async () => {
    const store = new ContentStore(dir);
    const descriptor = await store.ingest(Readable.from([data]), MediaType.ociLayerTar);
    expect(descriptor).toEqual({ mediaType: MediaType.ociLayerTar, digest: sha256Digest(data), size: data.length });
    expect((await readFile(store.path(descriptor.digest))).equals(data)).toBe(true);
  });

  it('lives where DOCKYARD_STORE says, else in the XDG cache', () => {
    expect(ContentStore.default({ DOCKYARD_STORE: '/srv/store' }).dir).toBe('/srv/store');
    expect(ContentStore.default({ XDG_CACHE_HOME: '/c' }).dir).toBe('/c/dockyard/store');
  });

  it('a named folder keeps the shared tier DOCKYARD_STORE names behind it, and only that', () => {
    const shared = ContentStore.at('/srv/local', { DOCKYARD_STORE: 'docker://cache.example.com/dockyard/blobs' });
    expect(shared.dir).toBe('/srv/local');
    expect(shared.shared?.key).toContain('cache.example.com/dockyard/blobs');
    expect(ContentStore.at('/srv/local', { DOCKYARD_STORE: '/srv/other' }).shared).toBeUndefined();
    expect(ContentStore.at('/srv/local', {}).shared).toBeUndefined();
  });

  it('adopts a written file as one file with its blob, and places a blob at a path, or says it is missing', async () => {
    const store = new ContentStore(join(dir, 'store'));
    const descriptor = remote(data).descriptor;
    const first = join(dir, 'first.tar');
    const second = join(dir, 'second.tar');
    await writeFile(first, data);
    await writeFile(second, data);
    await store.adopt(first, descriptor);
    await store.adopt(second, descriptor);
    const inode = async (path: string) => (await stat(path)).ino;
    expect(await inode(first)).toBe(await inode(store.path(descriptor.digest)));
    expect(await inode(second)).toBe(await inode(store.path(descriptor.digest)));

    const placed = join(dir, 'out', 'placed.tar');
    await store.placeAt(descriptor, placed, () => new Error('not stored'));
    expect(await inode(placed)).toBe(await inode(store.path(descriptor.digest)));
    const other = remote(Buffer.from('elsewhere')).descriptor;
    await expect(store.placeAt(other, join(dir, 'other.tar'), () => new Error('not stored'))).rejects.toThrow(
      'not stored',
    );
  });
});
