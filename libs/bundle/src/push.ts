import { buffer } from 'node:stream/consumers';
import { headBlob, manifestBlob, mountBlob, putManifest, uploadBlob, VerifyingStream, type ManifestBlob, type RegistryPool } from '../../oci/src';
import { forEachBundleEntry, forEachNestedEntry } from './bundle-reader';
import { INVENTORY_FILE, type Inventory, type InventoryImage } from './inventory';
import { blobDigestOfPath } from './payload';

export interface PushResult {
  images: { name: string; digest: string }[];
  blobsUploaded: number;
  blobsPresent: number;
  blobsMounted: number;
  bytesUploaded: number;
}

export class PushError extends Error {}

export function splitName(name: string): { repository: string; tag: string } {
  const colon = name.lastIndexOf(':');
  return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
}

/**
 * Pushes every image of a bundle's registry-dir or oci payload into `registry`, reading the
 * archive once in place: each blob is uploaded (digest-verified) into the first repository that
 * needs it as it streams past, other repositories mount it, and manifests go last, children
 * before their index. Blobs a delta left out must already be in the registry.
 */
export async function pushBundle(file: string, registry: string, pool: RegistryPool): Promise<PushResult> {
  const conn = await pool.connect(registry);
  let top: string | undefined;
  let inventory: Inventory | undefined;
  const manifests = new Map<string, ManifestBlob>();
  const placedIn = new Map<string, string>();
  const result: PushResult = { images: [], blobsUploaded: 0, blobsPresent: 0, blobsMounted: 0, bytesUploaded: 0 };
  let payloadSeen = false;

  await forEachBundleEntry(file, async (entry) => {
    if (top === undefined) top = entry.type === 'directory' ? entry.path.replace(/\/$/, '') : '';
    const path = top && entry.path.startsWith(`${top}/`) ? entry.path.slice(top.length + 1) : entry.path;
    if (entry.type === 'file' && path === INVENTORY_FILE) {
      inventory = JSON.parse((await buffer(entry.body)).toString('utf8')) as Inventory;
      return;
    }
    const payload = inventory?.payloads.find((p) => p.file === path && p.format !== 'docker-archive');
    if (!payload || !inventory) return entry.body.resume() && undefined;
    payloadSeen = true;
    const images = inventory.images.filter((i) => i.payload === path);
    const manifestTypes = new Map(images.flatMap((i) => i.manifests.map((m) => [m.digest, m.mediaType] as const)));
    const blobs = new Map(images.flatMap((i) => i.blobs.map((b) => [b.digest, { blob: b, repository: splitName(i.name).repository }] as const)));
    await forEachNestedEntry({ ...entry, path }, file, async (inner) => {
      const digest = inner.type === 'file' ? blobDigestOfPath(payload.format, inner.path) : undefined;
      if (digest && manifestTypes.has(digest)) {
        const bytes = await buffer(inner.body);
        const blob = manifestBlob(bytes, manifestTypes.get(digest)!);
        if (blob.digest !== digest) throw new PushError(`${file}: manifest ${digest} is corrupt in the bundle (hashes to ${blob.digest}); run dockyard bundle verify`);
        manifests.set(digest, blob);
        return;
      }
      const wanted = digest ? blobs.get(digest) : undefined;
      if (!wanted || placedIn.has(digest!)) return inner.body.resume() && undefined;
      const { blob, repository } = wanted;
      if ((await headBlob(conn, repository, blob.digest)) !== undefined) {
        result.blobsPresent++;
        inner.body.resume();
      } else {
        await uploadBlob(conn, repository, blob, inner.body.pipe(new VerifyingStream(blob, `${file}: blob ${blob.digest}`)));
        result.blobsUploaded++;
        result.bytesUploaded += blob.size;
      }
      placedIn.set(blob.digest, repository);
    });
  });

  if (!inventory) throw new PushError(`${file}: no ${INVENTORY_FILE} at the start of the bundle; it was not written by dockyard bundle`);
  if (!payloadSeen) throw new PushError(`${file}: no registry-dir or oci payload to push (docker archives are installed with docker load)`);
  const omitted = new Map((inventory.omittedBlobs ?? []).map((o) => [o.digest, o.repository]));
  const pushable = inventory.images.filter((i) => inventory!.payloads.some((p) => p.file === i.payload && p.format !== 'docker-archive'));
  for (const image of pushable) {
    await ensureBlobs(image);
    const { repository, tag } = splitName(image.name);
    for (const m of image.manifests) {
      const blob = manifests.get(m.digest);
      if (!blob) throw new PushError(`${file}: manifest ${m.digest} of ${image.name} is missing from the bundle; run dockyard bundle verify`);
      await putManifest(conn, repository, m.digest === image.digest ? tag : m.digest, blob);
    }
    result.images.push({ name: image.name, digest: image.digest });
  }
  return result;

  async function ensureBlobs(image: InventoryImage): Promise<void> {
    const { repository } = splitName(image.name);
    for (const blob of image.blobs) {
      const from = placedIn.get(blob.digest) ?? omitted.get(blob.digest);
      if (from === repository && placedIn.has(blob.digest)) continue;
      if ((await headBlob(conn, repository, blob.digest)) !== undefined) continue;
      if (from && (await mountBlob(conn, repository, blob.digest, from))) {
        result.blobsMounted++;
        continue;
      }
      const why = omitted.has(blob.digest) ? 'this delta bundle left it out, and the registry does not have it: push the bundle it was made against first' : 'it is not in the bundle; run dockyard bundle verify';
      throw new PushError(`${registry}/${repository}: blob ${blob.digest} of ${image.name} is missing (${why})`);
    }
  }
}
