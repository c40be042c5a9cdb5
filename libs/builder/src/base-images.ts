import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import {
  configPlatform,
  openSource,
  parseLocation,
  platformMatches,
  platformString,
  readImage,
  type ContentStore,
  type Image,
  type LocationContext,
  type Platform,
} from './oci';
import { DockyardError } from '@dockyard/errors';

/** A base reference as a location: `oci:`, `docker-archive:` and `docker://` as written, anything else a registry reference. */
function locationOf(reference: string) {
  return /^(oci|docker-archive|registry-dir):/.test(reference) || reference.startsWith('docker://')
    ? parseLocation(reference)
    : parseLocation(`docker://${reference}`);
}

/**
 * Opens `FROM` and `COPY --from` images at any location, picking the platform's child of an index. Blobs stay
 * where they are (a registry base is never downloaded unless a COPY --from reads its files).
 */
export function baseImageOpener(context: LocationContext): (reference: string, platform: Platform) => Promise<Image> {
  return async (reference, platform) => {
    const model = await readImage(openSource(locationOf(reference), context));
    const wanted = platformString(platform);
    if (model.kind === 'image') {
      const has = configPlatform(await model.configJson());
      if (!platformMatches(has, wanted))
        throw new DockyardError(
          `${reference} is a ${platformString(has)} image; it has no ${wanted} image (build only the platforms it has, or use a multi-arch base)`,
          { code: 'BASE_PLATFORM_MISSING' },
        );
      return model;
    }
    const child = model.children.find((c) => platformMatches(c.descriptor.platform, wanted));
    if (!child)
      throw new DockyardError(
        `${reference} has no ${wanted} image (it has ${model.children.map((c) => platformString(c.descriptor.platform)).join(', ')})`,
        { code: 'BASE_PLATFORM_MISSING' },
      );
    const image = await child.load();
    if (image.kind !== 'image')
      throw new DockyardError(`${reference}: the ${wanted} entry is itself an index`, {
        code: 'BASE_PLATFORM_MISSING',
      });
    return image;
  };
}

function downloadError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'DOWNLOAD_FAILED', cause });
}

/**
 * `ADD URL` into the content store, verified: with `--checksum` a file already stored under that digest is not
 * downloaded again, and a body with another digest is refused.
 */
export function urlDownloader(
  store: ContentStore,
): (url: string, checksum: string | undefined) => Promise<{ digest: string; size: number; path: string }> {
  return async (url, checksum) => {
    if (checksum && (await store.has(checksum))) {
      return { digest: checksum, size: (await stat(store.path(checksum))).size, path: store.path(checksum) };
    }
    const response = await fetch(url, { redirect: 'follow' }).catch((err: Error) => {
      throw downloadError(`${url}: ${(err.cause as Error | undefined)?.message ?? err.message}`, err);
    });
    if (!response.ok || !response.body)
      throw downloadError(`${url}: the server answered ${response.status} ${response.statusText}`);
    const descriptor = await store.ingest(
      Readable.fromWeb(response.body as ReadableStream),
      'application/octet-stream',
    );
    if (checksum && descriptor.digest !== checksum) {
      throw downloadError(
        `${url}: the download has digest ${descriptor.digest}, not the --checksum ${checksum}; the file changed upstream or the checksum is wrong`,
      );
    }
    return { digest: descriptor.digest, size: descriptor.size, path: store.path(descriptor.digest) };
  };
}
