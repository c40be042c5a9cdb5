import { DockyardError } from '@dockyard/errors';
import { formatReference, headManifest, type RegistryPool } from '@dockyard/oci';
import type { PinnedImage } from './lock-file';
import { describeEntry, type ShippedImage } from './shipped-images';
import type { SourceIssue } from './source-error';

export interface PinImagesInput {
  images: ShippedImage[];
  /** The lock's images: an entry read from the same place is kept as reviewed, without the network. */
  previous?: Record<string, PinnedImage>;
  /** Read every digest again (an update, or a check that tags have not moved). */
  reread?: boolean;
  pool: RegistryPool;
}

/**
 * The digest each image's tag points to now (the index digest for a multi-arch image), read with one HEAD
 * request each, in parallel. A reference that already names a digest is pinned to it.
 */
export async function pinImages(
  input: PinImagesInput,
): Promise<{ images: Record<string, PinnedImage>; issues: SourceIssue[] }> {
  const images: Record<string, PinnedImage> = {};
  const issues: SourceIssue[] = [];
  await Promise.all(
    input.images.map(async (shipped) => {
      const source = formatReference(shipped.source);
      const kept = input.previous?.[shipped.image];
      if (kept && kept.source === source && !input.reread) {
        images[shipped.image] = kept;
        return;
      }
      try {
        images[shipped.image] = { source, digest: shipped.source.digest ?? (await readDigest(input.pool, shipped)) };
      } catch (error) {
        issues.push({
          file: describeEntry(shipped.entry),
          message: `${shipped.image}: cannot read its digest at ${source}: ${(error as Error).message}`,
          hint: 'check the image name and that the registry holds this tag',
        });
      }
    }),
  );
  issues.sort((a, b) => a.message.localeCompare(b.message));
  return { images, issues };
}

async function readDigest(pool: RegistryPool, shipped: ShippedImage): Promise<string> {
  const { registry, repository, tag } = shipped.source;
  const head = await headManifest(await pool.connect(registry), repository, tag ?? 'latest');
  if (!head) throw new DockyardError('the registry has no manifest for this tag', { code: 'MANIFEST_NOT_FOUND' });
  return head.digest;
}
