import { indexChildren, imageBlobs, platformMatches, type Descriptor, type ManifestBlob } from '../manifest';
import { isIndexType } from '../media-types';
import type { ImageSource, ImageTarget } from '../location/types';
import { filterIndex } from './platform-filter';
import { CopyFailure, sideOf, type CopyScheduler } from './scheduler';

export interface CopyOptions {
  /** Keep only these platforms of an index (`os/arch[/variant]`); a filtered index is written. */
  platforms?: string[];
  /** Platform chosen when a single-image target (docker-archive) receives an index. */
  defaultPlatform?: string;
}

export interface CopyResult {
  source: string;
  target: string;
  status: 'copied' | 'unchanged';
  digest: string;
}

async function onSource<T>(source: ImageSource, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (err) {
    throw err instanceof CopyFailure ? err : new CopyFailure('source', `${source.name}: ${(err as Error).message}`);
  }
}

async function onTarget<T>(target: ImageTarget, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (err) {
    throw err instanceof CopyFailure ? err : new CopyFailure('target', `${target.name}: ${(err as Error).message}`);
  }
}

function hostPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `linux/${arch}`;
}

/** Manifests reachable from `top`, children before parents, plus every blob they name. */
async function walk(scheduler: CopyScheduler, source: ImageSource, top: ManifestBlob): Promise<{ manifests: ManifestBlob[]; blobs: Descriptor[] }> {
  const manifests: ManifestBlob[] = [];
  const blobs = new Map<string, Descriptor>();
  async function visit(blob: ManifestBlob): Promise<void> {
    if (isIndexType(blob.mediaType)) {
      const children = await Promise.all(indexChildren(blob).map((child) => scheduler.request([source.endpointKey], () => source.manifest(child.digest))));
      for (const child of children) await visit(child);
    } else {
      const { config, layers } = imageBlobs(blob);
      for (const desc of [config, ...layers]) blobs.set(desc.digest, desc);
    }
    manifests.push(blob);
  }
  await visit(top);
  return { manifests, blobs: [...blobs.values()] };
}

async function selectTop(scheduler: CopyScheduler, source: ImageSource, target: ImageTarget, options: CopyOptions): Promise<ManifestBlob> {
  const top = await scheduler.request([source.endpointKey], () => source.manifest());
  if (!isIndexType(top.mediaType)) return top;
  if (target.singleImage) {
    const wanted = options.platforms?.[0] ?? options.defaultPlatform ?? hostPlatform();
    const child = indexChildren(top).find((c) => platformMatches(c.platform, wanted));
    if (!child) throw new Error(`index ${top.digest} has no ${wanted} image; choose one with --platform`);
    return scheduler.request([source.endpointKey], () => source.manifest(child.digest));
  }
  return options.platforms?.length ? filterIndex(top, options.platforms) : top;
}

/**
 * Copies one image or index. An unchanged target tag is detected with one HEAD on each side;
 * blobs go through the shared scheduler; child manifests are written before their index and
 * skipped when the target already has them.
 */
export async function copyImage(scheduler: CopyScheduler, source: ImageSource, target: ImageTarget, options: CopyOptions = {}): Promise<CopyResult> {
  const reference = target.tag;
  const filtering = Boolean(options.platforms?.length) || target.singleImage;
  if (!filtering && reference) {
    const [sourceDigest, targetDigest] = await Promise.all([
      onSource(source, () => scheduler.request([source.endpointKey], () => source.topDigest())),
      onTarget(target, () => scheduler.request([target.endpointKey], () => target.manifestDigest(reference))),
    ]);
    if (sourceDigest && sourceDigest === targetDigest) return { source: source.name, target: target.name, status: 'unchanged', digest: sourceDigest };
  }
  const top = await onSource(source, () => selectTop(scheduler, source, target, options));
  if (filtering && reference && !target.singleImage) {
    const targetDigest = await onTarget(target, () => scheduler.request([target.endpointKey], () => target.manifestDigest(reference)));
    if (targetDigest === top.digest) return { source: source.name, target: target.name, status: 'unchanged', digest: top.digest };
  }
  const { manifests, blobs } = await onSource(source, () => walk(scheduler, source, top));
  try {
    await onTarget(target, async () => target.prepare?.(manifests));
    await Promise.all(blobs.map((desc) => scheduler.ensureBlob(source, target, desc)));
    for (const manifest of manifests) {
      const isTop = manifest === top;
      const ref = isTop ? (reference ?? manifest.digest) : manifest.digest;
      await onTarget(target, () =>
        scheduler.request([target.endpointKey], async () => {
          if (!isTop && (await target.manifestDigest(manifest.digest)) === manifest.digest) return;
          await target.writeManifest(manifest, ref);
        }),
      );
    }
    await onTarget(target, async () => target.commit?.());
  } catch (err) {
    await target.abort?.().catch(() => undefined);
    throw err instanceof CopyFailure ? err : new CopyFailure(sideOf(err), (err as Error).message);
  }
  return { source: source.name, target: target.name, status: 'copied', digest: top.digest };
}
