import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../digest';
import type { ImageSource } from '../location/types';
import { manifestBlob } from '../manifest';
import { MediaType } from '../media-types';
import { appendLayers, bufferBlob, buildIndex, scratchImage, withConfig } from './mutate';
import type { Layer } from './model';
import { readBlob, readImage } from './read';

function memoryLayer(text: string): Layer {
  const bytes = Buffer.from(text);
  return { ...bufferBlob(bytes, MediaType.ociLayerTar), diffId: sha256Digest(bytes) };
}

/** An in-process source serving whatever blobs and manifests it was given. */
function memorySource(top: string, blobs: Map<string, Buffer>): ImageSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    name: 'memory',
    key: 'memory:test',
    reads,
    topDigest: async () => top,
    async manifest(digest = top) {
      reads.push(digest);
      const bytes = blobs.get(digest)!;
      return manifestBlob(bytes, JSON.parse(bytes.toString()).mediaType);
    },
    openBlob: async (desc, offset) => Readable.from([blobs.get(desc.digest)!.subarray(offset)]),
  };
}

describe('mutate', () => {
  it('appends layers with their diffIDs and history, and derives new digests only from content', async () => {
    const base = scratchImage(
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { created: '1970-01-01T00:00:00Z' },
    );
    const one = await appendLayers(base, [{ layer: memoryLayer('a'), history: { created_by: 'COPY a /' } }]);
    const two = await appendLayers(one, [{ layer: memoryLayer('b') }]);
    const config = await two.configJson();
    expect(config).toMatchObject({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      created: '1970-01-01T00:00:00Z',
    });
    expect(config.rootfs.diff_ids).toEqual([sha256Digest('a'), sha256Digest('b')]);
    expect(config.history).toEqual([{ created_by: 'COPY a /' }, {}]);
    const manifest = JSON.parse(two.manifest.bytes.toString());
    expect(manifest.layers.map((l: { digest: string }) => l.digest)).toEqual([sha256Digest('a'), sha256Digest('b')]);
    expect(manifest.config.digest).toBe(sha256Digest(await readBlob(two.config)));
    const again = await appendLayers(
      await appendLayers(base, [{ layer: memoryLayer('a'), history: { created_by: 'COPY a /' } }]),
      [{ layer: memoryLayer('b') }],
    );
    expect(again.manifest.digest).toBe(two.manifest.digest);
    expect(one.manifest.digest).not.toBe(two.manifest.digest);
  });

  it('refuses a layer whose diffID is unknown', async () => {
    const { diffId: _, ...layer } = memoryLayer('x');
    await expect(appendLayers(scratchImage({ os: 'linux', architecture: 'amd64' }), [{ layer }])).rejects.toThrow(
      /has no diffID/,
    );
  });

  it('changes the config without touching the layers, keeping the manifest format', async () => {
    const image = await appendLayers(scratchImage({ os: 'linux', architecture: 'amd64' }), [
      { layer: memoryLayer('a') },
    ]);
    const changed = await withConfig(image, (config) => ({ ...config, config: { ...config.config, Cmd: ['bash'] } }));
    expect((await changed.configJson()).config?.Cmd).toEqual(['bash']);
    expect(changed.layers).toEqual(image.layers);
    expect(changed.manifest.mediaType).toBe(image.manifest.mediaType);
    expect(changed.manifest.digest).not.toBe(image.manifest.digest);
    expect((await image.configJson()).config?.Cmd).toBeUndefined();
  });

  it('builds an index whose children carry their platforms, and reads it back from a source byte for byte', async () => {
    const amd = await appendLayers(scratchImage({ os: 'linux', architecture: 'amd64' }), [
      { layer: memoryLayer('amd') },
    ]);
    const arm = await appendLayers(scratchImage({ os: 'linux', architecture: 'arm64', variant: 'v8' }), [
      { layer: memoryLayer('arm') },
    ]);
    const index = await buildIndex([amd, arm]);
    expect(index.children.map((c) => c.descriptor.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);

    const blobs = new Map<string, Buffer>([[index.manifest.digest, index.manifest.bytes]]);
    for (const image of [amd, arm]) {
      blobs.set(image.manifest.digest, image.manifest.bytes);
      blobs.set(image.config.descriptor.digest, await readBlob(image.config));
      for (const layer of image.layers) blobs.set(layer.descriptor.digest, await readBlob(layer));
    }
    const source = memorySource(index.manifest.digest, blobs);
    const read = await readImage(source);
    expect(read.kind).toBe('index');
    expect(read.manifest.bytes.equals(index.manifest.bytes)).toBe(true);
    expect(source.reads).toEqual([index.manifest.digest]);
    if (read.kind !== 'index') return;
    const child = await read.children[1]!.load();
    expect(child.kind === 'image' && (await child.configJson()).architecture).toBe('arm64');
    expect(child.kind === 'image' && child.layers[0]!.origin).toEqual({ key: 'memory:test', repository: undefined });
  });

  it('reads a blob only when its bytes match its digest', async () => {
    const good = bufferBlob(Buffer.from('content'), 'text/plain');
    const lying = { ...good, open: async () => Readable.from([Buffer.from('CONTENT')]) };
    expect((await readBlob(good)).toString()).toBe('content');
    await expect(readBlob(lying)).rejects.toThrow(/does not match/);
  });
});
