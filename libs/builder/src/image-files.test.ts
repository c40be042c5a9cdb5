import { createGzip } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { imageFiles } from './image-files';
import { ContentStore, imageFrom, MediaType, tarStream, type TarEntry } from './oci';

async function layer(store: ContentStore, entries: TarEntry[]) {
  const descriptor = await store.ingest(tarStream(entries).pipe(createGzip()), MediaType.ociLayerGzip);
  return { ...store.blob(descriptor), diffId: descriptor.digest };
}

const file = (path: string, text: string): TarEntry => ({
  path,
  type: 'file',
  content: Buffer.from(text),
  size: text.length,
});

describe('imageFiles', () => {
  it("stacks an image's layers, applying whiteouts and opaque folders", async () => {
    const store = new ContentStore(await tempDirFor(onTestFinished, 'image-files-store'));
    const scratch = await tempDirFor(onTestFinished, 'image-files-scratch');
    const lower = await layer(store, [
      { path: 'etc', type: 'directory' },
      file('etc/a', 'a1'),
      file('etc/b', 'b'),
      { path: 'var', type: 'directory' },
      file('var/x', 'x'),
      file('var/y', 'y'),
    ]);
    const upper = await layer(store, [
      file('etc/a', 'a2'),
      file('etc/.wh.b', ''),
      { path: 'var', type: 'directory' },
      file('var/.wh..wh..opq', ''),
      file('var/z', 'z'),
    ]);
    const image = imageFrom(
      { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [lower.diffId, upper.diffId] } },
      [lower, upper],
    );
    const files = await imageFiles(image, store, scratch);
    expect([...files.keys()].sort()).toEqual(['etc', 'etc/a', 'var', 'var/z']);
    const a = files.get('etc/a')!;
    const text = Buffer.concat(await (await a.open!()).toArray()).toString();
    expect(text).toBe('a2');
  });
});
