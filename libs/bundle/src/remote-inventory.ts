import {
  getManifest,
  imageBlobs,
  indexChildren,
  isIndexType,
  listRepositories,
  listTags,
  platformString,
  type RegistryConnection,
} from '@dockyard/oci';
import type { Inventory, InventoryImage } from './inventory';

/**
 * What a registry already holds, as an inventory (every repository:tag with its manifests and
 * blobs; nothing is downloaded but manifests), so a delta bundle can leave out what the install
 * site's registry has.
 */
export async function registryInventory(conn: RegistryConnection, registry: string): Promise<Inventory> {
  const images: InventoryImage[] = [];
  for (const repository of (await listRepositories(conn)).sort()) {
    for (const tag of (await listTags(conn, repository)).sort()) {
      const top = await getManifest(conn, repository, tag);
      const manifests = [top];
      const platforms: string[] = [];
      if (isIndexType(top.mediaType)) {
        for (const child of indexChildren(top)) {
          manifests.unshift(await getManifest(conn, repository, child.digest));
          platforms.push(platformString(child.platform));
        }
      }
      const blobs = new Map<string, { digest: string; size: number; mediaType: string }>();
      for (const m of manifests.filter((m) => !isIndexType(m.mediaType))) {
        const { config, layers } = imageBlobs(m);
        for (const d of [config, ...layers])
          blobs.set(d.digest, { digest: d.digest, size: d.size, mediaType: d.mediaType });
      }
      images.push({
        name: `${repository}:${tag}`,
        digest: top.digest,
        mediaType: top.mediaType,
        platforms: platforms.sort(),
        manifests: manifests.map((m) => ({ digest: m.digest, size: m.bytes.length, mediaType: m.mediaType })),
        blobs: [...blobs.values()],
        source: `docker://${registry}/${repository}:${tag}`,
        payload: '',
      });
    }
  }
  const unique = new Map(images.flatMap((i) => i.blobs.map((b) => [b.digest, b.size] as const)));
  const bytes = [...unique.values()].reduce((a, b) => a + b, 0);
  return {
    schemaVersion: 1,
    bundle: '',
    payloads: [],
    images,
    totals: { images: images.length, uniqueBlobs: unique.size, uniqueBlobBytes: bytes, includedBlobBytes: bytes },
  };
}
