import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { hasCode } from '@dockyard/errors';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sha256Digest } from '../digest';
import { manifestBlob } from '../manifest';
import { MediaType } from '../media-types';
import { ociBlobPath, OciLayout, REF_NAME } from './oci-layout';

async function layout(): Promise<OciLayout> {
  const dir = await mkdtemp(join(tmpdir(), 'oci-layout-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return new OciLayout(dir);
}

describe('OciLayout', () => {
  it('stores blobs by digest with an oci-layout file, and refuses a digest that is not sha256', async () => {
    const store = await layout();
    const digest = sha256Digest('data');
    expect(await store.hasBlob(digest)).toBe(false);
    await store.writeBlob(digest, Readable.from([Buffer.from('data')]));
    expect(await store.hasBlob(digest)).toBe(true);
    expect((await store.readBlob(digest)).toString()).toBe('data');
    expect(JSON.parse(await readFile(join(store.dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(ociBlobPath(digest)).toBe(`blobs/sha256/${digest.slice(7)}`);
    expect(() => ociBlobPath('md5:abc')).toThrow('OCI layout: unsupported or malformed digest "md5:abc"');
  });

  it('tags manifests by name in index.json, a name moving to its newest manifest', async () => {
    const store = await layout();
    expect(await store.readIndex()).toEqual({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
    const one = manifestBlob(Buffer.from('{"schemaVersion":2,"n":1}'), MediaType.ociManifest);
    const two = manifestBlob(Buffer.from('{"schemaVersion":2,"n":2}'), MediaType.ociManifest);
    await store.writeManifest(one);
    await Promise.all([store.tag(one, 'app:v1'), store.tag(one, 'app:v2')]);
    await store.tag(two, 'app:v1');
    const index = await store.readIndex();
    expect(index.manifests.map((m) => [m.annotations?.[REF_NAME], m.digest]).sort()).toEqual(
      [
        ['app:v1', two.digest],
        ['app:v2', one.digest],
      ].sort(),
    );
    expect((await store.findRef('app:v2'))?.size).toBe(one.bytes.length);
    expect(await store.findRef('app:v3')).toBeUndefined();
  });

  it('names an index.json it cannot parse, keeping the parser’s error', async () => {
    const store = await layout();
    await writeFile(join(store.dir, 'index.json'), '{ not json');
    const failure = await store.readIndex().catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(new RegExp(`^${join(store.dir, 'index.json')}: .*JSON`));
    expect(hasCode(failure, 'OCI_INDEX_UNREADABLE')).toBe(true);
    expect((failure as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
