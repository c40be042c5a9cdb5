import { describe, expect, it } from 'vitest';
import { sha256Digest } from '@dockyard/oci';
import { buildInventory, changedTags, heldBlobs, type DescribedImage } from './inventory';

const layer = {
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: sha256Digest('shared layer'),
  size: 12,
};
const own = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest('own layer'), size: 9 };
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest('{}'), size: 2 };

function image(name: string, layers: (typeof layer)[]): DescribedImage {
  const digest = sha256Digest(JSON.stringify({ name, layers }));
  return {
    name,
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifests: [{ digest, size: 100, mediaType: 'application/vnd.oci.image.manifest.v1+json' }],
    blobs: [config, ...layers],
    platforms: ['linux/amd64'],
    source: `docker://r.test/${name}`,
  };
}

const a = image('app/a:v1', [layer]);
const b = image('app/b:v1', [layer, own]);

describe('inventory', () => {
  it('counts unique blobs once and what a delta left out', () => {
    const inventory = buildInventory(
      'top',
      [{ file: 'images.tar', format: 'registry-dir', images: [a, b] }],
      new Map(),
      new Map([[layer.digest, 'app/a']]),
    );
    expect(inventory.totals).toEqual({ images: 2, uniqueBlobs: 3, uniqueBlobBytes: 23, includedBlobBytes: 11 });
    expect(inventory.omittedBlobs).toEqual([{ digest: layer.digest, repository: 'app/a' }]);
    expect(heldBlobs(inventory).get(own.digest)).toBe('app/b');
  });

  it('does not count blobs of docker-archive payloads as held by the far side registry', () => {
    const inventory = buildInventory(
      'top',
      [
        { file: 'image/release.tar.gz', format: 'docker-archive', images: [b] },
        { file: 'images.tar', format: 'registry-dir', images: [a] },
      ],
      new Map(),
    );
    const held = heldBlobs(inventory);
    expect(held.has(layer.digest)).toBe(true);
    expect(held.has(own.digest)).toBe(false);
  });

  it('reports a tag whose digest moved, not new or dropped tags', () => {
    const before = buildInventory('top', [{ file: 'p', format: 'oci', images: [a] }], new Map());
    const moved = { ...image('app/a:v1', [own]) };
    const after = buildInventory('top', [{ file: 'p', format: 'oci', images: [moved, b] }], new Map());
    expect(changedTags(before, after)).toEqual([{ name: 'app/a:v1', from: a.digest, to: moved.digest }]);
  });
});
