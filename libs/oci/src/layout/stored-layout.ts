import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { imageBlobs, indexChildren, type Descriptor } from '../manifest';
import { isImageManifestType, isIndexType } from '../media-types';
import type { ContentStore } from '../store/content-store';
import { OCI_INDEX_FILE, OciLayout } from './oci-layout';

/**
 * Every blob the layout's index.json reaches (indexes, manifests, configs, layers), each once. `ensure` runs for
 * each blob before it is read and puts it in the folder when it is not there.
 */
async function walkLayout(layout: OciLayout, ensure: (blob: Descriptor) => Promise<void>): Promise<Descriptor[]> {
  const seen = new Map<string, Descriptor>();
  const visit = async (descriptors: Descriptor[]): Promise<void> => {
    const fresh = descriptors.filter((d) => !seen.has(d.digest));
    for (const d of fresh) seen.set(d.digest, d);
    await Promise.all(
      fresh.map(async (d) => {
        await ensure(d);
        if (!isIndexType(d.mediaType) && !isImageManifestType(d.mediaType)) return;
        const manifest = { mediaType: d.mediaType, digest: d.digest, bytes: await layout.readBlob(d.digest) };
        if (isIndexType(d.mediaType)) return visit(indexChildren(manifest));
        const { config, layers } = imageBlobs(manifest);
        return visit([config, ...layers]);
      }),
    );
  };
  await visit((await layout.readIndex()).manifests);
  return [...seen.values()];
}

/** The blobs the layout in `dir` holds by its index.json (each once); every one must be in the folder. */
export function layoutBlobs(dir: string): Promise<Descriptor[]> {
  return walkLayout(new OciLayout(dir), async () => undefined);
}

/**
 * Keeps every blob of the layout a build just wrote in `dir` in the content store, and so in its shared tier: a
 * blob the store lacks is hard-linked into it, one it has replaces the layout's copy by a hard link, so each blob
 * is on disk once. Then the layout's small files (index.json, oci-layout) are all a cache needs to keep of it.
 */
export async function keepLayout(dir: string, store: ContentStore): Promise<Descriptor[]> {
  const layout = new OciLayout(dir);
  return walkLayout(layout, (blob) => store.adopt(layout.blobPath(blob.digest), blob));
}

/**
 * Completes the layout in `dir` whose blobs are not all there (a cache restored only its small files on a machine
 * that never built it): each missing blob index.json reaches is fetched by digest from the content store, or its
 * shared tier, verified, and linked into the folder. `project` names whose build the layout is, for the error.
 * Returns every blob of the layout and how many were fetched.
 */
export async function completeLayout(
  dir: string,
  store: ContentStore,
  project?: string,
): Promise<{ blobs: Descriptor[]; fetched: number }> {
  const layout = new OciLayout(dir);
  let fetched = 0;
  const blobs = await walkLayout(layout, async (blob) => {
    if (await layout.hasBlob(blob.digest)) return;
    await store.placeAt(
      blob,
      layout.blobPath(blob.digest),
      () => new LayoutNotStoredError(dir, blob.digest, store, project),
    );
    fetched++;
  });
  return { blobs, fetched };
}

/** A layout's index.json reaches a blob that neither the folder, the content store nor its shared tier holds. */
export class LayoutNotStoredError extends DockyardError {
  constructor(
    readonly layout: string,
    readonly digest: string,
    store: ContentStore,
    /** Whose build the layout is (its `build` step makes it again). */
    readonly project?: string,
  ) {
    super(
      `${join(layout, OCI_INDEX_FILE)} reaches blob ${digest}, which neither ${layout} nor the content store ${store.dir} nor ${store.shared ? `the shared store ${store.shared.key}` : 'a shared store (none is set)'} holds: the layout came from a cache filled by a machine whose store this one does not reach`,
      { code: 'LAYOUT_NOT_STORED' },
    );
  }

  /** The step that writes the layout again. */
  readonly step = 'build';
}
