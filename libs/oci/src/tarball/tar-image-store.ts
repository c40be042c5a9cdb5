import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { onePlatform } from '../copy/platform-filter';
import { isDigest } from '../digest';
import { OCI_INDEX_FILE, OCI_LAYOUT_FILE, OCI_LAYOUT_JSON, ociBlobPath, REF_NAME } from '../layout/oci-layout';
import { repoTag } from '../location/docker-archive';
import { repositoryOf } from '../location/transport';
import type { ImageName, ImageStore } from '../location/types';
import type { Descriptor, ManifestBlob } from '../manifest';
import { MediaType } from '../media-types';
import { StoragePaths } from '../registry-dir/storage-paths';
import type { ContentStore } from '../store/content-store';
import { dockerArchiveMembers, type ArchiveImage } from './docker-archive-writer';
import { sortTarEntries, type TarEntry } from './tar-writer';
import { DockyardError } from '@dockyard/errors';

/** How images are laid out inside a tar: registry storage, one OCI layout, or one `docker load` archive. */
export type ArchiveLayout = 'registry-dir' | 'oci' | 'docker-archive';

/** A store whose images become the members of one tar (MultiRefWrite's role): blobs wait in the content store until the tar streams them. */
export interface TarImageStore extends ImageStore {
  /** Every member, sorted by path: the same images give the same entries. Blob data is read from the content store when written. */
  entries(mtime: number): TarEntry[];
}

/** Adds each parent directory once, so the same link or blob is never written twice. */
class EntrySet {
  private readonly entries = new Map<string, TarEntry>();
  constructor(private readonly mtime: number) {}

  add(path: string, content: Pick<TarEntry, 'size' | 'content'>): void {
    if (this.entries.has(path)) return;
    for (let dir = posix.dirname(path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) {
      if (this.entries.has(`${dir}/`)) break;
      this.entries.set(`${dir}/`, { path: `${dir}/`, type: 'directory', mtime: this.mtime });
    }
    this.entries.set(path, { path, type: 'file', mtime: this.mtime, ...content });
  }

  list(): TarEntry[] {
    return sortTarEntries([...this.entries.values()]);
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

const text = (value: string) => ({ content: Buffer.from(value) });

/**
 * A tar-backed image store: registry storage, an OCI layout or a docker archive written straight into a tar
 * stream, each blob once. Blobs are fetched into (or found in) `spool`, the shared content store, and named in
 * the tar; `omit` blobs (a delta's: the reader has them) are named, linked and counted present, but carry no data.
 */
export function tarImageStore(
  layout: ArchiveLayout,
  name: string,
  spool: ContentStore,
  omit: ReadonlySet<string> = new Set(),
): TarImageStore {
  if (layout === 'docker-archive' && omit.size)
    throw new DockyardError(
      `${name}: a docker archive cannot leave blobs out; a delta needs registry storage or an OCI layout`,
      { code: 'DELTA_NEEDS_REGISTRY_LAYOUT' },
    );
  const blobs = new Map<string, Descriptor>();
  const manifests = new Map<string, ManifestBlob>();
  /** Per repository for registry storage (its links); one shared set ('') for the other layouts. */
  const links = new Map<string, Set<string>>();
  const revisions = new Map<string, Set<string>>();
  const tags = new Map<string, { at: ImageName; tag: string; manifest: ManifestBlob }>();
  const archived: ArchiveImage[] = [];
  const scope = (at: ImageName) =>
    layout === 'registry-dir' ? repositoryOf(at, `${name}: registry storage needs a repository for every image`) : '';
  const hold = (at: ImageName, desc: Descriptor) => {
    blobs.set(desc.digest, desc);
    addTo(links, scope(at), desc.digest);
  };
  const stored = (desc: Descriptor) =>
    omit.has(desc.digest)
      ? undefined
      : { size: desc.size, content: () => createReadStream(spool.path(desc.digest), { highWaterMark: 1 << 20 }) };

  function registryDirEntries(mtime: number): TarEntry[] {
    const paths = new StoragePaths('');
    const set = new EntrySet(mtime);
    for (const desc of blobs.values()) {
      const data = stored(desc);
      if (data) set.add(paths.blobData(desc.digest), data);
    }
    for (const manifest of manifests.values()) set.add(paths.blobData(manifest.digest), { content: manifest.bytes });
    for (const [repository, digests] of links)
      for (const digest of digests) set.add(paths.layerLink(repository, digest), text(digest));
    for (const [repository, digests] of revisions)
      for (const digest of digests) set.add(paths.revisionLink(repository, digest), text(digest));
    for (const { at, tag, manifest } of tags.values()) {
      set.add(paths.tagCurrentLink(at.repository!, tag), text(manifest.digest));
      set.add(paths.tagIndexLink(at.repository!, tag, manifest.digest), text(manifest.digest));
    }
    return set.list();
  }

  /** index.json names each image `repository:tag` (skopeo: `oci:DIR:repository:tag`). */
  function ociEntries(mtime: number): TarEntry[] {
    const set = new EntrySet(mtime);
    for (const desc of blobs.values()) {
      const data = stored(desc);
      if (data) set.add(ociBlobPath(desc.digest), data);
    }
    for (const manifest of manifests.values()) set.add(ociBlobPath(manifest.digest), { content: manifest.bytes });
    const named = [...tags.values()].map(({ at, tag, manifest }) => ({
      ref: at.repository ? `${at.repository}:${tag}` : tag,
      manifest,
    }));
    const index = named
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
      .map(({ ref, manifest }) => ({
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.length,
        annotations: { [REF_NAME]: ref },
      }));
    set.add(OCI_LAYOUT_FILE, text(OCI_LAYOUT_JSON));
    set.add(
      OCI_INDEX_FILE,
      text(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index })),
    );
    return set.list();
  }

  function dockerArchiveEntries(mtime: number): TarEntry[] {
    return dockerArchiveMembers(archived).map(({ entry, digest }) => ({
      ...entry,
      mtime,
      ...(digest ? stored(blobs.get(digest)!) : {}),
    }));
  }

  return {
    name,
    key: `tar:${name}`,
    async manifestDigest(at, reference) {
      if (isDigest(reference)) return revisions.get(scope(at))?.has(reference) ? reference : undefined;
      return tags.get(`${at.repository ?? ''}:${reference}`)?.manifest.digest;
    },
    hasBlob: async (at, desc) => links.get(scope(at))?.has(desc.digest) ?? false,
    async linkBlob(at, desc) {
      if (!omit.has(desc.digest) && !(await spool.has(desc.digest))) return false;
      hold(at, desc);
      return true;
    },
    async fetchBlob(at, blob, onBytes) {
      await spool.fetch(blob, onBytes);
      hold(at, blob.descriptor);
    },
    async writeManifest(at, blob, reference) {
      manifests.set(blob.digest, blob);
      addTo(revisions, scope(at), blob.digest);
      if (!isDigest(reference)) tags.set(`${at.repository ?? ''}:${reference}`, { at, tag: reference, manifest: blob });
    },
    ...(layout === 'docker-archive'
      ? {
          accept: (model, platforms) => onePlatform(model, platforms),
          async prepare(images) {
            for (const { image, at } of images) {
              const tag = repoTag(at);
              archived.push({
                config: image.config.descriptor,
                layers: image.layers.map((l) => l.descriptor),
                repoTags: tag ? [tag] : [],
              });
            }
          },
        }
      : {}),
    entries: (mtime) =>
      layout === 'registry-dir'
        ? registryDirEntries(mtime)
        : layout === 'oci'
          ? ociEntries(mtime)
          : dockerArchiveEntries(mtime),
  };
}
