import { basename } from 'node:path';
import { SBOM_FILE } from '@dockyard/attest';
import {
  CopyScheduler,
  locationContext,
  platformString,
  tarImageStore,
  writeImages,
  type ArchiveLayout,
  type ContentStore,
  type ImageOrIndex,
  type RegistryPool,
  type TransferStats,
} from '@dockyard/oci';
import { offeredPlatforms, readRequestedImages, type ImageRequest } from './bundle-images';
import {
  buildInventory,
  describeImage,
  formatInventory,
  type Inventory,
  type PayloadGroup,
  type Provenance,
} from './inventory';
import type { ShippedAppImage } from './app-images';
import { fetchFileToStore } from './remote-file';
import { bundleSbom, type SbomFacts } from './bundle-sbom';
import { writeBundle, type BundleItem, type WrittenBundle } from './write-bundle';

export type PayloadFormat = ArchiveLayout;

/** A file of the bundle: from the project folder, or downloaded and checked against its sha256. */
export type BundleFileSource = { to: string; mode?: number; where: string } & (
  { file: string } | { url: string; sha256: string }
);

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

/** What a running bundle has done so far, for progress lines. */
export interface BundleProgress {
  imagesTotal: number;
  imagesDone: number;
  /** Bytes of the archive written (once the images are in the content store). */
  archiveBytes: number;
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
  appImages?: ShippedAppImage[];
  /** The release's version and the lock's sources, for the bundle's SBOM. */
  sbom?: SbomFacts;
  store: ContentStore;
  /** Hash the finished archive too (it is kept in the store by its digest). */
  hashArchive?: boolean;
  pool: RegistryPool;
  /** The run's one scheduler (its retry policy and limits); its stats count what was downloaded. */
  scheduler?: CopyScheduler;
  progress?: BundleProgress;
}

/** Platforms of a multi-arch image that a payload left out. */
export interface LeftOutPlatforms {
  image: string;
  payload: string;
  platforms: string[];
  kept: string[];
}

export interface BundleResult {
  written: WrittenBundle;
  inventory: Inventory;
  /** Blobs downloaded into the content store (`blobsCopied`, `bytes`); the others were there already. */
  transfer: TransferStats;
  leftOut: LeftOutPlatforms[];
}

function keptPlatforms(model: ImageOrIndex, chosen: ImageOrIndex): string[] {
  if (chosen.kind === 'index') return offeredPlatforms(chosen);
  return model.kind === 'index'
    ? model.children
        .filter((c) => c.descriptor.digest === chosen.manifest.digest)
        .map((c) => platformString(c.descriptor.platform))
    : [];
}

/** Makes the bundle's images present in the content store, then writes the bundle and its inventory. */
export async function makeBundle(input: BundleInput): Promise<BundleResult> {
  const scheduler = input.scheduler ?? new CopyScheduler();
  const progress = input.progress ?? { imagesTotal: 0, imagesDone: 0, archiveBytes: 0 };
  progress.imagesTotal = input.payloads.reduce((n, p) => n + p.images.length, 0);
  const context = locationContext(input.pool);
  const items: BundleItem[] = [];
  for (const f of input.files) {
    const file = 'file' in f ? f.file : await fetchFileToStore(f.url, f.sha256, input.store.dir, f.where);
    items.push({ path: f.to, file, mode: f.mode });
  }
  const groups: PayloadGroup[] = [];
  const omitted = new Map<string, string | undefined>();
  const leftOut: LeftOutPlatforms[] = [];
  // One payload at a time: each is its own tar, and all of them fetch through the one content store.
  for (const payload of input.payloads) {
    const requested = await readRequestedImages(payload.images, context, scheduler);
    const held = new Set(payload.omit?.keys() ?? []);
    const store = tarImageStore(payload.format, payload.file, input.store, held);
    const targets = requested.map(({ request }) => ({
      store,
      at: { repository: request.repository, tag: request.tag },
      name: `${payload.file}:${request.repository}:${request.tag}`,
    }));
    const written = await writeImages(
      scheduler,
      requested.map(({ model }, i) => ({ model, target: targets[i]! })),
      { platforms: payload.platforms },
    );
    progress.imagesDone += requested.length;
    const images = await Promise.all(
      requested.map(({ request, source }, i) =>
        describeImage(`${request.repository}:${request.tag}`, source, written[i]!),
      ),
    );
    groups.push({ file: payload.file, format: payload.format, images });
    requested.forEach(({ model }, i) => {
      const kept = keptPlatforms(model, written[i]!);
      const dropped = offeredPlatforms(model).filter((p) => !kept.includes(p));
      if (dropped.length) leftOut.push({ image: images[i]!.name, payload: payload.file, platforms: dropped, kept });
    });
    for (const image of images)
      for (const blob of image.blobs)
        if (held.has(blob.digest)) omitted.set(blob.digest, payload.omit!.get(blob.digest));
    items.push({ path: payload.file, tar: store.entries(input.mtime) });
  }
  for (const n of input.nested) items.push({ path: n.path, file: n.file });
  for (const g of input.generated) items.push({ path: g.path, bytes: g.bytes });
  const inventory = {
    ...buildInventory(input.top, groups, input.provenance, omitted),
    ...(input.appImages ? { appImages: input.appImages } : {}),
  };
  const sbomFiles = input.files.map((f) => ('url' in f ? { ...f, path: f.to } : { path: f.to, file: f.file }));
  items.push({
    path: SBOM_FILE,
    bytes: await bundleSbom({
      name: input.top || basename(input.output).replace(/\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd)$/, ''),
      facts: input.sbom,
      inventory,
      appImages: input.appImages,
      files: [...sbomFiles, ...input.nested, ...input.generated],
    }),
  });
  const written = await writeBundle({
    output: input.output,
    top: input.top,
    mtime: input.mtime,
    items,
    inventory: formatInventory(inventory),
    hashArchive: input.hashArchive,
  });
  return { written, inventory, transfer: scheduler.stats, leftOut };
}
