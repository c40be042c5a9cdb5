import { join } from 'node:path';
import { formatWithoutRegistry } from '@dockyard/oci';
import { writeFileAtomic } from '@dockyard/files';
import type { DiscoveredImage } from './finding';

export interface ImagesOutputOptions {
  /** `images.list` lines without the registry host (`release/app-admin:v0.3.17`), as `images_platform.list` had them. */
  stripRegistry?: boolean;
  /** List `helm test` pods' images too (they are always in images.json, marked `test: true`). */
  includeTests?: boolean;
}

/** `images.list` content: one reference per line, sorted, de-duplicated; test images only when asked. */
export function formatImagesList(images: DiscoveredImage[], options: ImagesOutputOptions = {}): string {
  const listed = options.includeTests ? images : images.filter((image) => !image.test);
  const lines = new Set(listed.map((image) => (options.stripRegistry ? formatWithoutRegistry(image) : image.ref)));
  const sorted = [...lines].sort();
  return sorted.length === 0 ? '' : `${sorted.join('\n')}\n`;
}

/** `images.json` content: the discovered images with their sources, stable across runs. */
export function formatImagesJson(images: DiscoveredImage[]): string {
  return `${JSON.stringify(images.map(toJson), null, 2)}\n`;
}

export function toJson(image: DiscoveredImage): Record<string, unknown> {
  return {
    ref: image.ref,
    registry: image.registry,
    repository: image.repository,
    ...(image.tag ? { tag: image.tag } : {}),
    ...(image.digest ? { digest: image.digest } : {}),
    ...(image.enabledBy ? { optional: true, enabledBy: image.enabledBy } : {}),
    ...(image.test ? { test: true } : {}),
    sources: image.sources,
  };
}

export async function writeImagesOutput(
  dir: string,
  images: DiscoveredImage[],
  options: ImagesOutputOptions = {},
): Promise<void> {
  await writeFileAtomic(join(dir, 'images.list'), formatImagesList(images, options));
  await writeFileAtomic(join(dir, 'images.json'), formatImagesJson(images));
}
