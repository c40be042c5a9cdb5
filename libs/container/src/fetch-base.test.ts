import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, readdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentStore } from '@dockyard/oci';
import type { BaseRepository } from './base-repository';
import { fetchBaseArchive } from './fetch-base';

const data = Buffer.alloc(100_000).map((_, i) => i % 251);
const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** An in-process repository serving `data`; `honourRange: false` answers like a server that ignores Range. */
function fakeRepository(opened: number[], honourRange = true): BaseRepository {
  return {
    where: (path) => `http://repo/${path}`,
    text: async () => '',
    size: async () => data.length,
    listing: async () => [],
    open: async (_path, offset) => {
      opened.push(offset);
      const start = honourRange ? offset : 0;
      return { body: Readable.from([data.subarray(start)]), offset: start };
    },
  };
}

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});
async function newStore(): Promise<ContentStore> {
  const dir = await mkdtemp(join(tmpdir(), 'c11-store-'));
  dirs.push(dir);
  return new ContentStore(dir);
}

describe('fetchBaseArchive', () => {
  it('stores the archive under its digest and fetches nothing the second time', async () => {
    const store = await newStore();
    const opened: number[] = [];
    const first = await fetchBaseArchive(fakeRepository(opened), 'a.tar.xz', digest, store);
    expect(first.fetched).toBe(true);
    expect(await readFile(first.path)).toEqual(data);
    const second = await fetchBaseArchive(fakeRepository(opened), 'a.tar.xz', digest, store);
    expect(second).toMatchObject({ fetched: false, path: first.path });
    expect(opened).toEqual([0]);
  });

  it('resumes a partial download, dropping the bytes a server that ignores Range sends again', async () => {
    const store = await newStore();
    const partial = `${store.path(digest)}.partial.${process.pid}`;
    await mkdir(dirname(partial), { recursive: true });
    await writeFile(partial, data.subarray(0, 30_000));
    const opened: number[] = [];
    const result = await fetchBaseArchive(fakeRepository(opened, false), 'a.tar.xz', digest, store);
    expect(opened).toEqual([30_000]);
    expect(await readFile(result.path)).toEqual(data);
  });

  it('refuses bytes that do not match the checksum, naming the archive and its .sha256sum, and stores nothing', async () => {
    const store = await newStore();
    const wrong = `sha256:${'0'.repeat(64)}`;
    const error = await fetchBaseArchive(fakeRepository([]), 'x/a.tar.xz', wrong, store).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'BASE_CHECKSUM_MISMATCH' });
    expect((error as Error).message).toMatch(
      /^http:\/\/repo\/x\/a.tar.xz: its sha256 is [0-9a-f]{64} but http:\/\/repo\/x\/a.tar.xz.sha256sum says 0{64}/,
    );
    expect(await store.has(wrong)).toBe(false);
    expect((await readdir(join(store.dir, 'blobs', 'sha256'))).filter((n) => !n.includes('.partial.'))).toEqual([]);
  });
});
