import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { manifestBlob, type Descriptor } from '../manifest';
import { ContentStore } from '../store/content-store';
import { tarImageStore, type ArchiveLayout } from './tar-image-store';

const spool = new ContentStore(mkdtempSync(join(tmpdir(), 'tar-store-')));
const ingest = (text: string, mediaType: string) => spool.ingest(Readable.from([Buffer.from(text)]), mediaType);

async function images() {
  const layer = await ingest('shared layer', 'application/vnd.oci.image.layer.v1.tar+gzip');
  const own = await ingest('own layer', 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = await ingest('{}', 'application/vnd.oci.image.config.v1+json');
  const image = (name: string, layers: Descriptor[]) => {
    const manifest = manifestBlob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config,
          layers,
          annotations: { name },
        }),
      ),
      'application/vnd.oci.image.manifest.v1+json',
    );
    const [repository, tag] = name.split(':') as [string, string];
    return { at: { repository, tag }, manifest, blobs: [config, ...layers] };
  };
  return { layer, own, config, a: image('app/a:v1', [layer]), b: image('app/b:v1', [layer, own]) };
}

async function written(layout: ArchiveLayout, omit?: Set<string>) {
  const set = await images();
  const store = tarImageStore(layout, 'payload.tar', spool, omit);
  for (const { at, manifest, blobs } of [set.a, set.b]) {
    for (const blob of blobs) if (!(await store.hasBlob(at, blob))) expect(await store.linkBlob!(at, blob)).toBe(true);
    await store.writeManifest(at, manifest, at.tag);
  }
  return { ...set, entries: store.entries(5) };
}

describe('tarImageStore', () => {
  it('writes registry storage with each blob once and every repository linked to it', async () => {
    const { layer, entries } = await written('registry-dir');
    const paths = entries.map((e) => e.path);
    expect(paths.filter((p) => p.endsWith('/data'))).toHaveLength(5); // config, two layers, two manifests
    expect(paths).toContain(`docker/registry/v2/repositories/app/a/_layers/sha256/${layer.digest.slice(7)}/link`);
    expect(paths).toContain(`docker/registry/v2/repositories/app/b/_layers/sha256/${layer.digest.slice(7)}/link`);
    expect(paths).toContain('docker/registry/v2/repositories/app/b/_manifests/tags/v1/current/link');
    expect(paths).toContain('docker/registry/v2/');
    expect(new Set(paths).size).toBe(paths.length);
    expect(entries.every((e) => e.mtime === 5)).toBe(true);
  });

  it('leaves out the blobs of a delta but keeps every manifest and link', async () => {
    const { layer, own, config, a, b, entries } = await written('oci', new Set([(await images()).layer.digest]));
    const blobs = entries
      .filter((e) => e.path.startsWith('blobs/sha256/') && e.type === 'file')
      .map((e) => `sha256:${e.path.slice(13)}`);
    expect(blobs).not.toContain(layer.digest);
    expect(blobs).toEqual(expect.arrayContaining([own.digest, config.digest, a.manifest.digest, b.manifest.digest]));
    const index = JSON.parse((entries.find((e) => e.path === 'index.json')!.content as Buffer).toString());
    expect(
      index.manifests.map(
        (m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'],
      ),
    ).toEqual(['app/a:v1', 'app/b:v1']);
  });

  it('does not take a blob the content store lacks without a fetch', async () => {
    const store = tarImageStore('oci', 'p.tar', spool);
    expect(
      await store.linkBlob!(
        { repository: 'x', tag: 'v1' },
        { mediaType: 'x', digest: `sha256:${'0'.repeat(64)}`, size: 1 },
      ),
    ).toBe(false);
  });

  it('refuses a delta as a docker archive, which cannot leave blobs out', () => {
    expect(() => tarImageStore('docker-archive', 'p.tar', spool, new Set([`sha256:${'0'.repeat(64)}`]))).toThrow(
      /docker archive cannot leave blobs out/,
    );
  });
});
