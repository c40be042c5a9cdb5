import {
  copyImage,
  locationContext,
  namedLocation,
  openBundle,
  openSource,
  openTarget,
  parseReference,
  parseSyncTarget,
  splitImageName,
  type CopyResult,
  type CopyScheduler,
  type Location,
  type RegistryPool,
} from '@dockyard/oci';
import type { Inventory } from './inventory';
import { DockyardError } from '@dockyard/errors';

function pushError(message: string): DockyardError {
  return new DockyardError(message, { code: 'BUNDLE_PUSH_FAILED' });
}

export interface PushOptions {
  pool: RegistryPool;
  scheduler: CopyScheduler;
  /** Told how many images the bundle holds to push, once its inventory is read. */
  onImages?: (count: number) => void;
  onImageDone?: (result: CopyResult) => void;
}

/** The repository `repository` becomes at `to`: under a registry's prefix, as `sync` places it. */
function repositoryAt(to: string, repository: string): string {
  const target = parseSyncTarget(to);
  return target.transport === 'docker-prefix' && target.prefix ? `${target.prefix}/${repository}` : repository;
}

/** Where one image of the bundle goes: a registry `HOST[/PREFIX]`, or a folder location named after the image. */
function targetOf(to: string, repository: string, tag: string): Location {
  const target = parseSyncTarget(to);
  if (target.transport !== 'docker-prefix') return namedLocation(target, { repository, tag });
  return { transport: 'docker', ref: parseReference(`${target.registry}/${repositoryAt(to, repository)}:${tag}`) };
}

/**
 * Copies every image of a bundle's registry-dir and oci payloads to `to` (a registry `HOST[/PREFIX]`, or an oci: or
 * registry-dir: location) with the copy scheduler, reading the archive in place: an unchanged tag costs a HEAD, a blob
 * goes up once and other repositories mount it, and one retry policy covers it all. Blobs a delta left out must be
 * there already, or mountable from the repository its inventory names.
 */
export async function pushBundle(file: string, to: string, options: PushOptions): Promise<CopyResult[]> {
  const { scheduler } = options;
  const context = locationContext(options.pool);
  const inventory = (await openBundle(context, file).contents()) as Inventory;
  const pushed = new Set(inventory.payloads.filter((p) => p.format !== 'docker-archive').map((p) => p.file));
  const images = inventory.images.filter((i) => pushed.has(i.payload));
  if (!images.length)
    throw pushError(`${file}: no registry-dir or oci payload to push (docker archives are installed with docker load)`);
  options.onImages?.(images.length);
  const omitted = new Map((inventory.omittedBlobs ?? []).map((o) => [o.digest, o.repository]));
  const pairs = images.map((image) => {
    const { repository, tag } = splitImageName(image.name);
    return {
      image,
      source: openSource({ transport: 'bundle', file, name: image.name }, context),
      target: openTarget(targetOf(to, repository, tag), context),
    };
  });
  // A delta's left-out blobs first: present, or mounted from the far side's repository; never read from the bundle.
  await Promise.all(
    pairs.flatMap(({ image, target }) =>
      image.blobs
        .filter((b) => omitted.has(b.digest))
        .map((b) => {
          const far = omitted.get(b.digest);
          const origin = { key: target.store.key, repository: far && repositoryAt(to, far) };
          const leftOut = () =>
            Promise.reject(
              pushError(
                `${target.name}: blob ${b.digest} of ${image.name} is missing (this delta bundle left it out, and the registry does not have it: push the bundle it was made against first)`,
              ),
            );
          return scheduler.ensureBlob({ descriptor: b, origin, open: leftOut }, target);
        }),
    ),
  );
  return Promise.all(
    pairs.map(async ({ source, target }) => {
      const result = await copyImage(scheduler, source, target);
      options.onImageDone?.(result);
      return result;
    }),
  );
}
