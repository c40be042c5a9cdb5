import type { ImageIndex, ImageOrIndex } from '../image/model';
import { configPlatform } from '../image/config';
import { indexChildren, manifestBlob, platformMatches, platformString } from '../manifest';
import { DockyardError } from '@dockyard/errors';

export const SOURCE_INDEX_ANNOTATION = 'io.dockyard.source.index.digest';

function filterIndex(index: ImageIndex, platforms: readonly string[]): ImageIndex {
  const children = index.children.filter((child) =>
    platforms.some((wanted) => platformMatches(child.descriptor.platform, wanted)),
  );
  if (children.length === 0) {
    const offered = indexChildren(index.manifest)
      .map((c) => platformString(c.platform))
      .join(', ');
    throw new DockyardError(
      `index ${index.manifest.digest} has no manifest for ${platforms.join(', ')} (it offers ${offered})`,
      { code: 'PLATFORM_NOT_FOUND' },
    );
  }
  if (children.length === index.children.length) return index;
  const json = JSON.parse(index.manifest.bytes.toString('utf8')) as {
    manifests: unknown[];
    annotations?: Record<string, string>;
  };
  json.manifests = children.map((c) => c.descriptor);
  json.annotations = { ...json.annotations, [SOURCE_INDEX_ANNOTATION]: index.manifest.digest };
  return {
    kind: 'index',
    manifest: manifestBlob(Buffer.from(JSON.stringify(json, null, 2)), index.manifest.mediaType),
    children,
  };
}

/**
 * Only the wanted platforms: an index keeps the matching children (a filtered index records the source index
 * digest as an annotation, since its own digest differs); a single image must be of a wanted platform.
 */
export async function selectPlatforms(
  model: ImageOrIndex,
  platforms: readonly string[] | undefined,
): Promise<ImageOrIndex> {
  if (!platforms?.length) return model;
  if (model.kind === 'index') return filterIndex(model, platforms);
  const platform = configPlatform(await model.configJson());
  if (!platforms.some((wanted) => platformMatches(platform, wanted))) {
    throw new DockyardError(
      `image ${model.manifest.digest} is ${platformString(platform)} only; it has no ${platforms.join(', ')} image`,
      { code: 'PLATFORM_NOT_FOUND' },
    );
  }
  return model;
}

/**
 * The platform a store of single-platform images (a docker archive) keeps of an index when none is asked for.
 * Not the host's: the same images give the same archive on any machine.
 */
export const DOCKER_ARCHIVE_PLATFORM = 'linux/amd64';

/** The one image of `model` a store of single-platform images holds: the first `platforms` entry of an index. */
export async function onePlatform(
  model: ImageOrIndex,
  platforms: readonly string[] | undefined,
): Promise<ImageOrIndex> {
  if (model.kind === 'image') return model;
  const wanted = platforms?.[0] ?? DOCKER_ARCHIVE_PLATFORM;
  const child = model.children.find((c) => platformMatches(c.descriptor.platform, wanted));
  if (!child) {
    const offered = model.children.map((c) => platformString(c.descriptor.platform)).join(', ');
    throw new DockyardError(
      `index ${model.manifest.digest} has no ${wanted} image (it offers ${offered}); a docker archive holds one platform per image`,
      { code: 'PLATFORM_NOT_FOUND' },
    );
  }
  return child.load();
}
