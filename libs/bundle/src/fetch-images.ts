import {
  imageBlobs,
  indexChildren,
  isIndexType,
  locationContext,
  manifestBlob,
  manifestMediaType,
  openSource,
  platformMatches,
  platformString,
  readImage,
  selectPlatforms,
  type Blob,
  type ContentStore,
  type Descriptor,
  type ImageOrIndex,
  type ImageRef,
  type ManifestBlob,
  type RegistryPool,
} from '../../oci/src';

/** An image whose manifests and blobs are all in the content store. */
export interface StoredImage {
  /** Name inside the bundle: `repository:tag` (the install site serves it under its own host). */
  name: string;
  repository: string;
  tag: string;
  digest: string;
  mediaType: string;
  /** Every manifest, children before the index that names them. */
  manifests: ManifestBlob[];
  /** Configs and layers of every platform, each once. */
  blobs: Descriptor[];
  platforms: string[];
  /** Where it was read from, e.g. `docker://harbor.example.com/release/app:v1`. */
  source: string;
}

export interface ImageRequest {
  source: ImageRef;
  repository: string;
  tag: string;
}

export interface FetchStats {
  blobsDownloaded: number;
  blobsPresent: number;
  bytesDownloaded: number;
}

async function readManifest(store: ContentStore, digest: string): Promise<ManifestBlob> {
  const bytes = await store.layout.readBlob(digest);
  const blob = manifestBlob(bytes, manifestMediaType(bytes, undefined));
  if (blob.digest !== digest) throw new Error(`content store ${store.dir}: manifest ${digest} is corrupt on disk (hashes to ${blob.digest}); delete it and re-run`);
  return blob;
}

/** The manifests and blobs of `digest` as stored, children first. */
export async function loadStoredImage(store: ContentStore, digest: string, request: Pick<ImageRequest, 'repository' | 'tag'>, source: string): Promise<StoredImage> {
  const manifests: ManifestBlob[] = [];
  const blobs = new Map<string, Descriptor>();
  const platforms: string[] = [];
  async function visit(blob: ManifestBlob, platform?: string): Promise<void> {
    if (isIndexType(blob.mediaType)) {
      for (const child of indexChildren(blob)) await visit(await readManifest(store, child.digest), platformString(child.platform));
    } else {
      const { config, layers } = imageBlobs(blob);
      for (const desc of [config, ...layers]) if (!blobs.has(desc.digest)) blobs.set(desc.digest, { mediaType: desc.mediaType, digest: desc.digest, size: desc.size });
      if (platform && !platforms.includes(platform)) platforms.push(platform);
    }
    if (!manifests.some((m) => m.digest === blob.digest)) manifests.push(blob);
  }
  const top = await readManifest(store, digest);
  await visit(top);
  if (!isIndexType(top.mediaType)) {
    const json = JSON.parse((await store.layout.readBlob(imageBlobs(top).config.digest)).toString('utf8')) as { os?: string; architecture?: string; variant?: string };
    if (json.os && json.architecture) platforms.push(platformString({ os: json.os, architecture: json.architecture, variant: json.variant }));
  }
  return { name: `${request.repository}:${request.tag}`, repository: request.repository, tag: request.tag, digest, mediaType: top.mediaType, manifests, blobs: [...blobs.values()], platforms, source };
}

/** One platform's image of a stored image (docker archives hold one platform per tag). */
export async function singlePlatform(store: ContentStore, image: StoredImage, platform: string): Promise<StoredImage> {
  const top = image.manifests[image.manifests.length - 1]!;
  if (!isIndexType(top.mediaType)) return image;
  const child = indexChildren(top).find((c) => platformMatches(c.platform, platform));
  if (!child) throw new Error(`${image.source} has no ${platform} image (it offers ${image.platforms.join(', ')})`);
  return loadStoredImage(store, child.digest, image, image.source);
}

async function flatten(model: ImageOrIndex): Promise<{ manifests: ManifestBlob[]; blobs: Blob[] }> {
  const manifests: ManifestBlob[] = [];
  const blobs: Blob[] = [];
  async function visit(m: ImageOrIndex): Promise<void> {
    if (m.kind === 'index') for (const child of m.children) await visit(await child.load());
    else blobs.push(m.config, ...m.layers);
    manifests.push(m.manifest);
  }
  await visit(model);
  return { manifests, blobs };
}

export interface FetchOptions {
  pool: RegistryPool;
  store: ContentStore;
  platforms?: string[];
  /** Blob downloads at once. */
  concurrency?: number;
  /** Attempts per blob; each one resumes the partial download of the one before. */
  attempts?: number;
}

/**
 * Makes every requested image present in the content store and returns what was stored. Blobs the
 * store has are not downloaded again; each arriving blob is digest-verified before it is renamed
 * into place, and a run killed mid-blob leaves a partial file the next run resumes.
 */
export async function fetchImages(requests: ImageRequest[], options: FetchOptions): Promise<{ images: StoredImage[]; stats: FetchStats }> {
  const context = locationContext(options.pool);
  const stats: FetchStats = { blobsDownloaded: 0, blobsPresent: 0, bytesDownloaded: 0 };
  const models = await Promise.all(
    requests.map(async (request) => {
      const source = openSource({ transport: 'docker', ref: request.source }, context);
      const model = await selectPlatforms(await readImage(source), options.platforms);
      return { request, source: source.name, model, ...(await flatten(model)) };
    }),
  );
  const queue = new Map<string, Blob>();
  for (const m of models) for (const blob of m.blobs) if (!queue.has(blob.descriptor.digest)) queue.set(blob.descriptor.digest, blob);
  const pending = [...queue.values()];
  const attempts = options.attempts ?? 4;
  async function worker(): Promise<void> {
    for (let blob = pending.shift(); blob; blob = pending.shift()) {
      if (await options.store.has(blob.descriptor.digest)) {
        stats.blobsPresent++;
        continue;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await options.store.fetch(blob);
          break;
        } catch (err) {
          if (attempt >= attempts) throw new Error(`${blob.origin.key}: blob ${blob.descriptor.digest}: ${(err as Error).message}`);
        }
      }
      stats.blobsDownloaded++;
      stats.bytesDownloaded += blob.descriptor.size;
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, Math.max(pending.length, 1)) }, worker));
  const images: StoredImage[] = [];
  for (const m of models) {
    for (const manifest of m.manifests) await options.store.layout.writeManifest(manifest);
    images.push(await loadStoredImage(options.store, m.model.manifest.digest, m.request, m.source));
  }
  return { images, stats };
}
