import {
  formatReference,
  openSource,
  platformString,
  readImage,
  RegistryError,
  type CopyScheduler,
  type ImageOrIndex,
  type ImageRef,
  type LocationContext,
} from '@dockyard/oci';
import { DockyardError } from '@dockyard/errors';

/** An image a bundle carries. */
export interface ImageRequest {
  /** Where it is read: by tag, or by digest (`repo@sha256:…`, as a lock pins it). */
  source: ImageRef;
  /** Its name inside the bundle, `repository:tag`: the tag is kept when the source is a digest. */
  repository: string;
  tag: string;
}

export interface RequestedImage {
  request: ImageRequest;
  /** Where it was read, e.g. `docker://host/release/app:v1`. */
  source: string;
  model: ImageOrIndex;
}

/** Images a bundle needs that their registry does not hold (a release bundled before it was synced). */
export class MissingImagesError extends DockyardError {
  constructor(readonly missing: { image: string; registry: string }[]) {
    super(missing.map((m) => `${m.image} is not in ${m.registry}, the registry the bundle reads it from`).join('\n'), {
      code: 'IMAGES_MISSING',
    });
  }
}

/** Every requested image as a model (manifests read, no blob yet); all the missing ones are named together. */
export async function readRequestedImages(
  requests: readonly ImageRequest[],
  context: LocationContext,
  scheduler: CopyScheduler,
): Promise<RequestedImage[]> {
  const settled = await Promise.allSettled(
    requests.map(async (request) => {
      const source = openSource({ transport: 'docker', ref: request.source }, context);
      return {
        request,
        source: source.name,
        model: await readImage(source, { run: (job) => scheduler.request([source.key], job) }),
      };
    }),
  );
  const missing = settled.flatMap((s, i) =>
    s.status === 'rejected' && s.reason instanceof RegistryError && s.reason.status === 404
      ? [{ image: formatReference(requests[i]!.source), registry: requests[i]!.source.registry }]
      : [],
  );
  if (missing.length) throw new MissingImagesError(missing);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<RequestedImage>).value);
}

/** The platforms an index offers (a single image: none listed). */
export function offeredPlatforms(model: ImageOrIndex): string[] {
  return model.kind === 'index' ? model.children.map((c) => platformString(c.descriptor.platform)) : [];
}
