import { readFile } from 'node:fs/promises';
import {
  BUNDLE_INVENTORY,
  configPlatform,
  platformString,
  type ArchiveLayout,
  type BundleContents,
  type ImageOrIndex,
} from '@dockyard/oci';
import type { ShippedAppImage } from './app-images';
import { DockyardError } from '@dockyard/errors';

export const INVENTORY_FILE = BUNDLE_INVENTORY;

export interface InventoryImage {
  /** `repository:tag` as the install site's registry serves it. */
  name: string;
  digest: string;
  mediaType: string;
  platforms: string[];
  manifests: { digest: string; size: number; mediaType: string }[];
  /** Configs and layers, each once; a single-platform image's config comes first, then its layers in order. */
  blobs: { digest: string; size: number; mediaType: string }[];
  source?: string;
  /** The file inside the bundle that holds it. */
  payload: string;
  /** Where the image was found (chart file and key, from the images target's images.json). */
  provenance?: { file: string; keyPath?: string; line?: number }[];
}

/** Extends what libs/oci's `bundle:` reader needs of it, so the two cannot drift apart. */
export interface Inventory extends BundleContents {
  schemaVersion: 1;
  /** The bundle's top folder name, e.g. compass-component-v2.7.0. */
  bundle: string;
  /** Files inside the bundle that hold images, and their layout. */
  payloads: { file: string; format: ArchiveLayout }[];
  images: InventoryImage[];
  /** Set for a delta: blobs left out because the far side already has them (in `repository`, for a mount). */
  omittedBlobs?: { digest: string; repository?: string }[];
  totals: { images: number; uniqueBlobs: number; uniqueBlobBytes: number; includedBlobBytes: number };
  /** Shipped AppImage builds, each an OCI layout folder (every arch) under apps/; their files are in sha256sums.txt. */
  appImages?: ShippedAppImage[];
}

export type Provenance = Map<string, InventoryImage['provenance']>;

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** An image as written into a payload, before it is placed in the inventory. */
export type DescribedImage = Omit<InventoryImage, 'payload' | 'provenance'>;

export interface PayloadGroup {
  file: string;
  format: ArchiveLayout;
  images: DescribedImage[];
}

/** An image's manifests (children before their index), blobs (each once) and platforms, from the model as written. */
export async function describeImage(name: string, source: string, model: ImageOrIndex): Promise<DescribedImage> {
  const manifests: InventoryImage['manifests'] = [];
  const blobs = new Map<string, InventoryImage['blobs'][number]>();
  const platforms = new Set<string>();
  async function visit(m: ImageOrIndex): Promise<void> {
    if (m.kind === 'index') {
      for (const child of m.children) {
        const loaded = await child.load();
        if (loaded.kind === 'image') platforms.add(platformString(child.descriptor.platform));
        await visit(loaded);
      }
    } else {
      for (const { descriptor: d } of [m.config, ...m.layers])
        if (!blobs.has(d.digest)) blobs.set(d.digest, { digest: d.digest, size: d.size, mediaType: d.mediaType });
    }
    if (!manifests.some((x) => x.digest === m.manifest.digest))
      manifests.push({ digest: m.manifest.digest, size: m.manifest.bytes.length, mediaType: m.manifest.mediaType });
  }
  await visit(model);
  if (model.kind === 'image') {
    const config = await model.configJson();
    if (config.os && config.architecture) platforms.add(platformString(configPlatform(config)));
  }
  return {
    name,
    digest: model.manifest.digest,
    mediaType: model.manifest.mediaType,
    platforms: [...platforms],
    manifests,
    blobs: [...blobs.values()],
    source,
  };
}

/** `omit` maps each blob left out of a delta to a repository of the far side holding it (or undefined). */
export function buildInventory(
  bundle: string,
  groups: PayloadGroup[],
  provenance: Provenance,
  omit: ReadonlyMap<string, string | undefined> = new Map(),
): Inventory {
  const entries: InventoryImage[] = groups
    .flatMap((group) =>
      group.images.map((image) => ({
        ...image,
        platforms: [...image.platforms].sort(),
        payload: group.file,
        ...(provenance.get(image.name) ? { provenance: provenance.get(image.name) } : {}),
      })),
    )
    .sort((a, b) => byName(a, b) || (a.payload < b.payload ? -1 : a.payload > b.payload ? 1 : 0));
  const unique = new Map<string, number>();
  for (const image of entries) for (const blob of image.blobs) unique.set(blob.digest, blob.size);
  const omitted = [...unique.keys()].filter((d) => omit.has(d)).sort();
  const uniqueBlobBytes = [...unique.values()].reduce((a, b) => a + b, 0);
  const omittedBytes = omitted.reduce((sum, d) => sum + unique.get(d)!, 0);
  return {
    schemaVersion: 1,
    bundle,
    payloads: groups.map((g) => ({ file: g.file, format: g.format })).sort((a, b) => (a.file < b.file ? -1 : 1)),
    images: entries,
    ...(omitted.length
      ? {
          omittedBlobs: omitted.map((digest) => ({
            digest,
            ...(omit.get(digest) ? { repository: omit.get(digest) } : {}),
          })),
        }
      : {}),
    totals: {
      images: entries.length,
      uniqueBlobs: unique.size,
      uniqueBlobBytes,
      includedBlobBytes: uniqueBlobBytes - omittedBytes,
    },
  };
}

/**
 * For a delta against `previous`: every blob the far side's registry holds → a repository holding it there.
 * Images of docker-archive payloads (the release image, plugin packages) are `docker load`ed, not served, so
 * their blobs do not count.
 */
export function heldBlobs(previous: Inventory): Map<string, string | undefined> {
  const held = new Map<string, string | undefined>();
  const loaded = new Set(previous.payloads.filter((p) => p.format === 'docker-archive').map((p) => p.file));
  for (const image of previous.images) {
    if (loaded.has(image.payload)) continue;
    const repository = image.name.slice(0, image.name.lastIndexOf(':'));
    for (const blob of image.blobs) if (!held.has(blob.digest)) held.set(blob.digest, repository);
  }
  for (const o of previous.omittedBlobs ?? []) if (!held.has(o.digest)) held.set(o.digest, o.repository);
  return held;
}

export function formatInventory(inventory: Inventory): Buffer {
  return Buffer.from(`${JSON.stringify(inventory, null, 2)}\n`);
}

export async function readInventory(file: string): Promise<Inventory> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DockyardError(
      `${file}: cannot read the inventory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { code: 'INVENTORY_UNREADABLE', cause: err },
    );
  }
  const inventory = json as Inventory;
  if (inventory?.schemaVersion !== 1 || !Array.isArray(inventory.images))
    throw new DockyardError(`${file}: not a dockyard inventory (expected schemaVersion 1 and an images list)`, {
      code: 'INVENTORY_INVALID',
    });
  return inventory;
}

export interface TagChange {
  name: string;
  from: string;
  to: string;
}

/** Tags whose digest moved between two inventories (old → new); new and dropped tags are not changes. */
export function changedTags(previous: Inventory, current: Inventory): TagChange[] {
  const before = new Map(previous.images.map((i) => [i.name, i.digest]));
  return current.images
    .filter((i) => before.has(i.name) && before.get(i.name) !== i.digest)
    .map((i) => ({ name: i.name, from: before.get(i.name)!, to: i.digest }));
}
