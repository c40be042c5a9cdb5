import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../digest';
import { manifestBlob, type Descriptor } from '../manifest';
import { MediaType } from '../media-types';
import { ContentStore } from '../store/content-store';
import { OciLayout } from './oci-layout';
import { completeLayout, keepLayout, layoutBlobs, LayoutNotStoredError } from './stored-layout';

let dir: string;
let layout: OciLayout;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stored-layout-'));
  layout = new OciLayout(join(dir, 'layout'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function writeBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
  const digest = sha256Digest(bytes);
  await layout.writeBlob(digest, Readable.from([bytes]));
  return { mediaType, digest, size: bytes.length };
}

/** An index over two arch images that share a layer, tagged `1.0` (and the amd64 image as `1.0-amd64`). */
async function writeLayout(): Promise<string[]> {
  const shared = await writeBlob(Buffer.from('shared layer'), MediaType.ociLayerGzip);
  const images = [];
  for (const arch of ['amd64', 'arm64']) {
    const config = await writeBlob(Buffer.from(`{"architecture":"${arch}"}`), MediaType.ociConfig);
    const own = await writeBlob(Buffer.from(`${arch} layer`), MediaType.ociLayerGzip);
    const manifest = manifestBlob(
      Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [shared, own] }),
      ),
      MediaType.ociManifest,
    );
    await layout.writeManifest(manifest);
    images.push({ manifest, arch, blobs: [config.digest, own.digest] });
  }
  const index = manifestBlob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: images.map(({ manifest, arch }) => ({
          mediaType: manifest.mediaType,
          digest: manifest.digest,
          size: manifest.bytes.length,
          platform: { os: 'linux', architecture: arch },
        })),
      }),
    ),
    MediaType.ociIndex,
  );
  await layout.writeManifest(index);
  await layout.tag(index, '1.0');
  await layout.tag(images[0]!.manifest, '1.0-amd64');
  return [index.digest, shared.digest, ...images.flatMap(({ manifest, blobs }) => [manifest.digest, ...blobs])].sort();
}

const blobFiles = () => readdir(join(layout.dir, 'blobs', 'sha256'));
const digestsOf = (blobs: Descriptor[]) => blobs.map((b) => b.digest).sort();

describe('an OCI layout whose blobs a content store keeps', () => {
  it('lists every blob index.json reaches, each once', async () => {
    const digests = await writeLayout();
    expect(digestsOf(await layoutBlobs(layout.dir))).toEqual(digests);
  });

  it('keeps every blob in the store as one file with the layout’s', async () => {
    const digests = await writeLayout();
    const store = new ContentStore(join(dir, 'store'));
    expect(digestsOf(await keepLayout(layout.dir, store))).toEqual(digests);
    for (const digest of digests)
      expect((await stat(store.path(digest))).ino).toBe((await stat(layout.blobPath(digest))).ino);
  });

  it('links a blob the store already had into the layout in place of its copy', async () => {
    const digests = await writeLayout();
    const store = new ContentStore(join(dir, 'store'));
    await keepLayout(layout.dir, store);
    await rm(join(layout.dir, 'blobs'), { recursive: true });
    await writeLayout();
    await keepLayout(layout.dir, store);
    for (const digest of digests) expect((await stat(layout.blobPath(digest))).nlink).toBe(2);
  });

  it('completes a layout restored without its blobs from the store, and leaves a whole one as it is', async () => {
    const digests = await writeLayout();
    const store = new ContentStore(join(dir, 'store'));
    await keepLayout(layout.dir, store);
    const bytes = await readFile(layout.blobPath(digests[0]!));
    await rm(join(layout.dir, 'blobs'), { recursive: true });

    const completed = await completeLayout(layout.dir, store);
    expect(completed.fetched).toBe(digests.length);
    expect(digestsOf(completed.blobs)).toEqual(digests);
    expect((await blobFiles()).sort()).toEqual(digests.map((d) => d.slice(7)));
    expect(await readFile(layout.blobPath(digests[0]!))).toEqual(bytes);
    expect((await completeLayout(layout.dir, store)).fetched).toBe(0);
  });

  it('names the layout and the digest of a blob no store holds, and whose build it is', async () => {
    const digests = await writeLayout();
    await rm(join(layout.dir, 'blobs'), { recursive: true });
    const error = await completeLayout(layout.dir, new ContentStore(join(dir, 'other-store')), 'demo').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LayoutNotStoredError);
    expect((error as LayoutNotStoredError).project).toBe('demo');
    expect((error as Error).message).toContain(`${join(layout.dir, 'index.json')} reaches blob sha256:`);
    expect(digests).toContain((error as LayoutNotStoredError).digest);
  });
});
