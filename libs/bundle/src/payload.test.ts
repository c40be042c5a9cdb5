import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore, manifestBlob, sha256Digest } from '../../oci/src';
import type { StoredImage } from './fetch-images';
import { buildInventory, changedTags, heldBlobs } from './inventory';
import { blobDigestOfPath, payloadEntries } from './payload';

const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest('shared layer'), size: 12 };
const own = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest('own layer'), size: 9 };
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest('{}'), size: 2 };

function image(name: string, layers: (typeof layer)[]): StoredImage {
  const manifest = manifestBlob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers, annotations: { name } })), 'application/vnd.oci.image.manifest.v1+json');
  const [repository, tag] = name.split(':') as [string, string];
  return { name, repository, tag, digest: manifest.digest, mediaType: manifest.mediaType, manifests: [manifest], blobs: [config, ...layers], platforms: ['linux/amd64'], source: `docker://r.test/${name}` };
}

const store = new ContentStore(mkdtempSync(join(tmpdir(), 'payload-')));
const a = image('app/a:v1', [layer]);
const b = image('app/b:v1', [layer, own]);

describe('payloadEntries', () => {
  it('writes registry storage with each blob once and every repository linked to it', () => {
    const paths = payloadEntries('registry-dir', [a, b], { store, mtime: 5 }).map((e) => e.path);
    const data = paths.filter((p) => p.endsWith('/data'));
    expect(data).toHaveLength(5); // config, two layers, two manifests
    expect(paths).toContain(`docker/registry/v2/repositories/app/a/_layers/sha256/${layer.digest.slice(7)}/link`);
    expect(paths).toContain(`docker/registry/v2/repositories/app/b/_layers/sha256/${layer.digest.slice(7)}/link`);
    expect(paths).toContain('docker/registry/v2/repositories/app/b/_manifests/tags/v1/current/link');
    expect(paths).toContain('docker/registry/v2/');
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of data) expect(blobDigestOfPath('registry-dir', p)).toMatch(/^sha256:/);
  });

  it('leaves out the blobs of a delta but keeps every manifest and link', () => {
    const entries = payloadEntries('oci', [a, b], { store, mtime: 5, omit: new Set([layer.digest]) });
    const blobs = entries.filter((e) => e.path.startsWith('blobs/sha256/') && e.type === 'file').map((e) => blobDigestOfPath('oci', e.path));
    expect(blobs).not.toContain(layer.digest);
    expect(blobs).toEqual(expect.arrayContaining([own.digest, config.digest, a.digest, b.digest]));
    const index = JSON.parse((entries.find((e) => e.path === 'index.json')!.content as Buffer).toString());
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'])).toEqual(['app/a:v1', 'app/b:v1']);
  });

  it('refuses a delta as a docker archive, which cannot leave blobs out', () => {
    expect(() => payloadEntries('docker-archive', [a], { store, mtime: 0, omit: new Set([layer.digest]) })).toThrow(/delta bundle needs a registry-dir or oci payload/);
  });
});

describe('inventory', () => {
  it('counts unique blobs once and what a delta left out', () => {
    const inventory = buildInventory('top', [{ file: 'images.tar', format: 'registry-dir', images: [a, b] }], new Map(), new Map([[layer.digest, 'app/a']]));
    expect(inventory.totals).toEqual({ images: 2, uniqueBlobs: 3, uniqueBlobBytes: 23, includedBlobBytes: 11 });
    expect(inventory.omittedBlobs).toEqual([{ digest: layer.digest, repository: 'app/a' }]);
    expect(heldBlobs(inventory).get(own.digest)).toBe('app/b');
  });

  it('does not count blobs of docker-archive payloads as held by the far side registry', () => {
    const inventory = buildInventory('top', [{ file: 'image/release.tar.gz', format: 'docker-archive', images: [b] }, { file: 'images.tar', format: 'registry-dir', images: [a] }], new Map());
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
