import { CopyScheduler, openTarget, parseLocation, writeImages, type ImageOrIndex, type LocationContext } from './oci';

export interface WrittenBuild {
  location: string;
  digest: string;
}

/**
 * Writes a built image or index to every location (`docker://`, `oci:`, `docker-archive:`, `registry-dir:`)
 * through the copy engine: each blob once per store, present ones skipped, mounts within a registry, retries.
 * A docker archive, which holds single-platform images, takes an index's DOCKER_ARCHIVE_PLATFORM (linux/amd64) image.
 */
export async function writeBuild(
  scheduler: CopyScheduler,
  context: LocationContext,
  top: ImageOrIndex,
  locations: readonly string[],
): Promise<WrittenBuild[]> {
  const items = locations.map((location) => ({ model: top, target: openTarget(parseLocation(location), context) }));
  const written = await writeImages(scheduler, items);
  return written.map((model, i) => ({ location: locations[i]!, digest: model.manifest.digest }));
}
