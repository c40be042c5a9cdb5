import { fetchImages, singlePlatform, type FetchStats, type ImageRequest, type StoredImage } from './fetch-images';
import { buildInventory, formatInventory, type Inventory, type PayloadGroup, type Provenance } from './inventory';
import { payloadEntries, type PayloadFormat } from './payload';
import { fetchFileToStore } from './remote-file';
import { writeBundle, type BundleItem, type WrittenBundle } from './write-bundle';
import type { ContentStore, RegistryPool } from '../../oci/src';

/** A file of the bundle: from the project folder, or downloaded and checked against its sha256. */
export type BundleFileSource = { to: string; mode?: number; where: string } & ({ file: string } | { url: string; sha256: string });

/** A nested archive of images in the bundle. */
export interface ImagePayload {
  file: string;
  format: PayloadFormat;
  images: ImageRequest[];
  /** Only these platforms of multi-arch images (docker-archive payloads keep the first, default linux/amd64). */
  platforms?: string[];
  /** Blobs a delta leaves out, each with a far-side repository holding it. */
  omit?: ReadonlyMap<string, string | undefined>;
}

export interface BundleInput {
  output: string;
  top: string;
  mtime: number;
  files: BundleFileSource[];
  payloads: ImagePayload[];
  /** Finished bundles carried as they are (a Release's shipped plugins), at these paths. */
  nested: { path: string; file: string }[];
  /** Extra generated files (a plugin's yaml). */
  generated: { path: string; bytes: Buffer }[];
  provenance: Provenance;
  store: ContentStore;
  pool: RegistryPool;
}

export interface BundleResult {
  written: WrittenBundle;
  inventory: Inventory;
  fetched: FetchStats;
}

async function storedImages(payload: ImagePayload, input: BundleInput, fetched: FetchStats): Promise<StoredImage[]> {
  const platform = payload.platforms?.[0] ?? 'linux/amd64';
  const single = payload.format === 'docker-archive';
  const { images, stats } = await fetchImages(payload.images, { pool: input.pool, store: input.store, platforms: single ? [platform] : payload.platforms });
  fetched.blobsDownloaded += stats.blobsDownloaded;
  fetched.blobsPresent += stats.blobsPresent;
  fetched.bytesDownloaded += stats.bytesDownloaded;
  return single ? Promise.all(images.map((image) => singlePlatform(input.store, image, platform))) : images;
}

/** Fetches what the bundle needs into the content store, then writes the bundle and its inventory. */
export async function makeBundle(input: BundleInput): Promise<BundleResult> {
  const items: BundleItem[] = [];
  for (const f of input.files) {
    const file = 'file' in f ? f.file : await fetchFileToStore(f.url, f.sha256, input.store.dir, f.where);
    items.push({ path: f.to, file, mode: f.mode });
  }
  const fetched: FetchStats = { blobsDownloaded: 0, blobsPresent: 0, bytesDownloaded: 0 };
  const groups: PayloadGroup[] = [];
  const omitted = new Map<string, string | undefined>();
  for (const payload of input.payloads) {
    const images = await storedImages(payload, input, fetched);
    groups.push({ file: payload.file, format: payload.format, images });
    const omit = new Set<string>();
    for (const image of images) for (const blob of image.blobs) if (payload.omit?.has(blob.digest)) {
      omit.add(blob.digest);
      omitted.set(blob.digest, payload.omit.get(blob.digest));
    }
    items.push({ path: payload.file, tar: payloadEntries(payload.format, images, { store: input.store, mtime: input.mtime, omit }) });
  }
  for (const n of input.nested) items.push({ path: n.path, file: n.file });
  for (const g of input.generated) items.push({ path: g.path, bytes: g.bytes });
  const inventory = buildInventory(input.top, groups, input.provenance, omitted);
  const written = await writeBundle({ output: input.output, top: input.top, mtime: input.mtime, items, inventory: formatInventory(inventory) });
  return { written, inventory, fetched };
}
