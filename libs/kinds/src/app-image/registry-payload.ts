import { DockyardError } from '@dockyard/errors';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverImages, type DiscoveredImage } from '@dockyard/discover';
import {
  openStore,
  parseLocation,
  writeImages,
  type Blob,
  type ContentStore,
  type CopyScheduler,
  type Image,
  type LocationContext,
  type Platform,
} from '@dockyard/oci';

/** What sealos scans in a version folder: charts (with `<chart>.values.yaml`), manifests, shim lists, `.sealignore`. */
const SCANNED = ['charts', 'manifests', join('images', 'shim'), '.sealignore'];

export interface PayloadImage {
  ref: string;
  repository: string;
  tag?: string;
  /** The digest of the image written for this arch (the registry's own per-arch manifest). */
  digest: string;
}

/** The images a version folder runs, found by libs/discover as the `images` step lists them. */
export async function discoverAppImages(workDir: string): Promise<{ images: DiscoveredImage[]; warnings: string[] }> {
  const paths: string[] = [];
  for (const path of SCANNED.map((p) => join(workDir, p)))
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      paths.push(path);
  if (!paths.length) return { images: [], warnings: [] };
  const { images, problems } = await discoverImages(paths, { relativeTo: workDir, optional: 'exclude' });
  return { images: images.filter((i) => !i.test), warnings: problems.map((p) => `${p.file}: ${p.message}`) };
}

/** The blob read through the content store: fetched (resumably, verified) once, read from disk after. */
function throughStore(blob: Blob, store: ContentStore): Blob {
  return {
    descriptor: blob.descriptor,
    origin: { key: store.key },
    open: async (offset = 0) => (await store.fetch(blob)).open(offset),
  };
}

function storeBacked(image: Image, store: ContentStore): Image {
  return {
    ...image,
    config: throughStore(image.config, store),
    layers: image.layers.map((layer) => ({ ...throughStore(layer, store), diffId: layer.diffId })),
  };
}

/**
 * Copies each image, for `platform` only, into `registryDir` in the registry's storage layout (served as is by a
 * stock registry), under its repository and tag without the registry host, as sealos' registry expects. Each is
 * read by the digest `pin` names for it (the lock's), never by its tag.
 */
export async function fillRegistry(
  images: readonly DiscoveredImage[],
  platform: Platform,
  registryDir: string,
  deps: {
    store: ContentStore;
    scheduler: CopyScheduler;
    context: LocationContext;
    openImage(reference: string, platform: Platform): Promise<Image>;
    pin(image: DiscoveredImage): string;
  },
): Promise<PayloadImage[]> {
  // The Kubefile's `COPY registry registry` needs the folder even when the app carries no image.
  await mkdir(registryDir, { recursive: true });
  const location = parseLocation(`registry-dir:${registryDir}`);
  const store = openStore(location, deps.context);
  const chosen = await Promise.all(
    images.map(async (found) => {
      try {
        const digest = deps.pin(found);
        return {
          found,
          image: storeBacked(
            await deps.openImage(`docker://${found.registry}/${found.repository}@${digest}`, platform),
            deps.store,
          ),
        };
      } catch (err) {
        const where = found.sources[0]
          ? ` (from ${found.sources[0].file}${found.sources[0].line ? `:${found.sources[0].line}` : ''})`
          : '';
        throw new DockyardError(`${found.ref}${where}: ${(err as Error).message}`, { code: 'IMAGE_READ', cause: err });
      }
    }),
  );
  const items = chosen.map(({ found, image }) => ({
    model: image,
    target: {
      store,
      at: { repository: found.repository, tag: found.tag },
      name: `registry-dir:${registryDir}:${found.repository}`,
    },
  }));
  await writeImages(deps.scheduler, items);
  return chosen.map(({ found, image }) => ({
    ref: found.ref,
    repository: found.repository,
    tag: found.tag,
    digest: image.manifest.digest,
  }));
}
