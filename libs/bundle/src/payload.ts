import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { digestHex, dockerArchiveMembers, imageBlobs, isIndexType, RegistryStorage, type ContentStore, type Descriptor, type ManifestBlob, type TarEntry } from '../../oci/src';
import type { StoredImage } from './fetch-images';

export type PayloadFormat = 'registry-dir' | 'oci' | 'docker-archive';
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['registry-dir', 'oci', 'docker-archive'];

export interface PayloadOptions {
  store: ContentStore;
  mtime: number;
  /** Blobs the far side already has (a delta): their data is left out; manifests are always written. */
  omit?: ReadonlySet<string>;
}

/** Collects entries by path, adding each parent directory once, so the same link or blob is never written twice. */
class EntrySet {
  private readonly entries = new Map<string, TarEntry>();
  constructor(private readonly mtime: number) {}

  add(entry: Omit<TarEntry, 'mtime'>): void {
    if (this.entries.has(entry.path)) return;
    for (let dir = posix.dirname(entry.path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) {
      if (this.entries.has(`${dir}/`)) break;
      this.entries.set(`${dir}/`, { path: `${dir}/`, type: 'directory', mtime: this.mtime });
    }
    this.entries.set(entry.path, { ...entry, mtime: this.mtime });
  }

  list(): TarEntry[] {
    return [...this.entries.values()];
  }
}

function storedFile(store: ContentStore, desc: Descriptor): Omit<TarEntry, 'path' | 'mtime'> {
  return { type: 'file', size: desc.size, content: () => createReadStream(store.path(desc.digest), { highWaterMark: 1 << 20 }) };
}

function manifestFile(blob: ManifestBlob): Omit<TarEntry, 'path' | 'mtime'> {
  return { type: 'file', content: blob.bytes };
}

function link(digest: string): Omit<TarEntry, 'path' | 'mtime'> {
  return { type: 'file', content: Buffer.from(digest) };
}

/** distribution's `docker/registry/v2` tree of exactly these images: untarred into a stock registry's root, it is served as is. */
function registryDirEntries(images: StoredImage[], options: PayloadOptions): TarEntry[] {
  const paths = new RegistryStorage('').paths;
  const set = new EntrySet(options.mtime);
  for (const image of images) {
    for (const manifest of image.manifests) {
      set.add({ path: paths.blobData(manifest.digest), ...manifestFile(manifest) });
      set.add({ path: paths.revisionLink(image.repository, manifest.digest), ...link(manifest.digest) });
    }
    for (const blob of image.blobs) {
      if (!options.omit?.has(blob.digest)) set.add({ path: paths.blobData(blob.digest), ...storedFile(options.store, blob) });
      set.add({ path: paths.layerLink(image.repository, blob.digest), ...link(blob.digest) });
    }
    set.add({ path: paths.tagCurrentLink(image.repository, image.tag), ...link(image.digest) });
    set.add({ path: paths.tagIndexLink(image.repository, image.tag, image.digest), ...link(image.digest) });
  }
  return set.list();
}

/** One OCI image layout for all images; index.json names each `repository:tag` (skopeo: `oci:DIR:repository:tag`). */
function ociEntries(images: StoredImage[], options: PayloadOptions): TarEntry[] {
  const set = new EntrySet(options.mtime);
  const blobPath = (digest: string) => `blobs/sha256/${digestHex(digest)}`;
  for (const image of images) {
    for (const manifest of image.manifests) set.add({ path: blobPath(manifest.digest), ...manifestFile(manifest) });
    for (const blob of image.blobs) if (!options.omit?.has(blob.digest)) set.add({ path: blobPath(blob.digest), ...storedFile(options.store, blob) });
  }
  const manifests = [...images]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((image) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.manifests[image.manifests.length - 1]!.bytes.length,
      annotations: { 'org.opencontainers.image.ref.name': image.name },
    }));
  set.add({ path: 'oci-layout', type: 'file', content: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) });
  set.add({ path: 'index.json', type: 'file', content: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })) });
  return set.list();
}

/** One `docker save` archive for all images (single-platform each), laid out by the engine's docker archive rules. */
function dockerArchiveEntries(images: StoredImage[], options: PayloadOptions): TarEntry[] {
  const archived = images.map((image) => {
    const top = image.manifests[image.manifests.length - 1]!;
    if (isIndexType(top.mediaType)) throw new Error(`${image.source}: a docker archive holds one platform per image; choose one with bundle.images.platforms`);
    return { ...imageBlobs(top), repoTags: [image.name] };
  });
  return dockerArchiveMembers(archived).map(({ entry, digest }) => ({
    ...entry,
    mtime: options.mtime,
    ...(digest ? storedFile(options.store, { mediaType: '', digest, size: entry.size! }) : {}),
  }));
}

/** The payload's tar entries (unsorted) for `format`. Delta omission applies to registry-dir and oci. */
export function payloadEntries(format: PayloadFormat, images: StoredImage[], options: PayloadOptions): TarEntry[] {
  if (format === 'registry-dir') return registryDirEntries(images, options);
  if (format === 'oci') return ociEntries(images, options);
  if (options.omit?.size) throw new Error('a delta bundle needs a registry-dir or oci payload: a docker archive cannot leave blobs out');
  return dockerArchiveEntries(images, options);
}

/** Blob digest → path inside a payload of `format`, for readers (verify, push). */
export function blobDigestOfPath(format: PayloadFormat, path: string): string | undefined {
  const clean = path.replace(/^\.\//, '');
  const match =
    format === 'registry-dir'
      ? /^docker\/registry\/v2\/blobs\/sha256\/[a-f0-9]{2}\/([a-f0-9]{64})\/data$/.exec(clean)
      : format === 'oci'
        ? /^blobs\/sha256\/([a-f0-9]{64})$/.exec(clean)
        : /^([a-f0-9]{64})(?:\.json|\/layer\.tar)$/.exec(clean);
  return match ? `sha256:${match[1]}` : undefined;
}
