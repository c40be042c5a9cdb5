import type { Image, ImageOrIndex } from '../image/model';
import { readImage } from '../image/read';
import type { ImageSource, ImageStore, ImageTarget } from '../location/types';
import type { ManifestBlob } from '../manifest';
import { selectPlatforms } from './platform-filter';
import { CopyFailure, sideOf, type CopyScheduler } from './scheduler';

export interface CopyOptions {
  /** Keep only these platforms (`os/arch[/variant]`): an index is filtered, a single image must match. */
  platforms?: string[];
}

export interface CopyResult {
  source: string;
  target: string;
  status: 'copied' | 'unchanged';
  digest: string;
}

/** One image (or index) to write, and where. */
export interface WriteItem {
  model: ImageOrIndex;
  target: ImageTarget;
}

async function onSide<T>(side: 'source' | 'target', name: string, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (err) {
    throw err instanceof CopyFailure ? err : new CopyFailure(side, `${name}: ${(err as Error).message}`, err);
  }
}

/** Every manifest of `top`, children before their index, and the images among them. */
async function flatten(top: ImageOrIndex): Promise<{ manifests: ManifestBlob[]; images: Image[] }> {
  const manifests: ManifestBlob[] = [];
  const images: Image[] = [];
  async function visit(model: ImageOrIndex): Promise<void> {
    if (model.kind === 'index') {
      for (const child of await Promise.all(model.children.map((c) => c.load()))) await visit(child);
    } else {
      images.push(model);
    }
    manifests.push(model.manifest);
  }
  await visit(top);
  return { manifests, images };
}

async function writeManifests(scheduler: CopyScheduler, target: ImageTarget, manifests: ManifestBlob[]): Promise<void> {
  const { store, at } = target;
  const top = manifests[manifests.length - 1]!;
  for (const manifest of manifests) {
    await scheduler.request([store.key], async () => {
      if (manifest !== top && (await store.manifestDigest(at, manifest.digest)) === manifest.digest) return;
      await store.writeManifest(at, manifest, manifest === top ? (at.tag ?? manifest.digest) : manifest.digest);
    });
  }
}

/**
 * Writes images into their targets' stores: every blob once per store (skipped when present, mounted or linked
 * when the store has it elsewhere), child manifests before their index, and each store prepared once with all
 * its images and committed once — so one docker archive can hold many images, each blob stored once.
 */
export async function writeImages(
  scheduler: CopyScheduler,
  items: readonly WriteItem[],
  options: CopyOptions = {},
): Promise<ImageOrIndex[]> {
  const stores = new Map<string, ImageStore>();
  const planned = await Promise.all(
    items.map(async ({ model, target }) => {
      const chosen = await onSide('source', target.name, async () => {
        const selected = await selectPlatforms(model, options.platforms);
        return target.store.accept ? target.store.accept(selected, options.platforms) : selected;
      });
      stores.set(target.store.key, target.store);
      return { target, chosen, ...(await onSide('source', target.name, () => flatten(chosen))) };
    }),
  );
  try {
    for (const store of stores.values()) {
      const images = planned
        .filter((p) => p.target.store === store)
        .flatMap((p) => p.images.map((image) => ({ image, at: p.target.at })));
      await onSide('target', store.name, async () => store.prepare?.(images));
    }
    await Promise.all(
      planned.flatMap(({ target, images }) => uniqueBlobs(images).map((blob) => scheduler.ensureBlob(blob, target))),
    );
    await Promise.all(
      planned.map(({ target, manifests }) =>
        onSide('target', target.name, () => writeManifests(scheduler, target, manifests)),
      ),
    );
    for (const store of stores.values()) await onSide('target', store.name, async () => store.commit?.());
  } catch (err) {
    for (const store of stores.values()) await store.abort?.().catch(() => undefined);
    throw err instanceof CopyFailure ? err : new CopyFailure(sideOf(err), (err as Error).message, err);
  }
  return planned.map((p) => p.chosen);
}

function uniqueBlobs(images: readonly Image[]) {
  const blobs = new Map<string, Image['config']>();
  for (const image of images)
    for (const blob of [image.config, ...image.layers]) blobs.set(blob.descriptor.digest, blob);
  return [...blobs.values()];
}

/** The source's image, or the result when the target already has it (one HEAD on each side, before anything is read). */
async function readUnlessUnchanged(
  scheduler: CopyScheduler,
  source: ImageSource,
  target: ImageTarget,
  options: CopyOptions,
): Promise<CopyResult | WriteItem> {
  const { store, at } = target;
  const unchanged = (digest: string): CopyResult => ({
    source: source.name,
    target: target.name,
    status: 'unchanged',
    digest,
  });
  const targetDigest = (reference: string) =>
    onSide('target', target.name, () => scheduler.request([store.key], () => store.manifestDigest(at, reference)));
  const filtering = Boolean(options.platforms?.length);
  if (!filtering && at.tag) {
    const [sourceDigest, present] = await Promise.all([
      onSide('source', source.name, () => scheduler.request([source.key], () => source.topDigest())),
      targetDigest(at.tag),
    ]);
    if (sourceDigest && sourceDigest === present) return unchanged(sourceDigest);
  }
  const model = await onSide('source', source.name, () =>
    readImage(source, { run: (job) => scheduler.request([source.key], job) }),
  );
  if (filtering && at.tag) {
    const selected = await onSide('source', source.name, () => selectPlatforms(model, options.platforms));
    if ((await targetDigest(at.tag)) === selected.manifest.digest) return unchanged(selected.manifest.digest);
  }
  return { model, target };
}

/** Copies images or indexes together (into one archive, say); each pair unchanged at its target is left alone. */
export async function copyImages(
  scheduler: CopyScheduler,
  pairs: readonly { source: ImageSource; target: ImageTarget }[],
  options: CopyOptions = {},
): Promise<CopyResult[]> {
  const checked = await Promise.all(
    pairs.map(({ source, target }) => readUnlessUnchanged(scheduler, source, target, options)),
  );
  const pending = checked.flatMap((c, i) => ('model' in c ? [i] : []));
  const written = await writeImages(
    scheduler,
    pending.map((i) => checked[i] as WriteItem),
    options,
  );
  const digests = new Map(pending.map((i, n) => [i, written[n]!.manifest.digest]));
  return checked.map((c, i) =>
    'model' in c
      ? { source: pairs[i]!.source.name, target: pairs[i]!.target.name, status: 'copied', digest: digests.get(i)! }
      : c,
  );
}

/** Copies one image or index. */
export async function copyImage(
  scheduler: CopyScheduler,
  source: ImageSource,
  target: ImageTarget,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const [result] = await copyImages(scheduler, [{ source, target }], options);
  return result!;
}
