import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppImage } from '@dockyard/project-spec';
import {
  completeLayout,
  copyImages,
  openSource,
  openTarget,
  parseLocation,
  type CopyResult,
  type ContentStore,
  type CopyScheduler,
  type LocationContext,
} from '@dockyard/oci';
import { MissingOutputError } from '../shared/missing-output';
import { BUILD_RECORD, type AppImageRecord } from './build';

/** Every repository an app image is pushed to: `repository`, then `publish.registries`. */
export function publishRepositories(spec: AppImage): string[] {
  return [spec.repository, ...(spec.publish?.registries ?? []).map((r) => r.repository)];
}

export interface PublishStep {
  from: string;
  to: string;
}

/**
 * What publishing copies: per repository, each arch's `<version>-<arch>` then the index `<version>`, from dist. With
 * `store`, each version's layout is completed first (blobs a cache left out are fetched from the store by digest).
 */
export async function publishPlan(spec: AppImage, distDir: string, store?: ContentStore): Promise<PublishStep[]> {
  const steps: PublishStep[] = [];
  for (const version of spec.versions) {
    const dir = join(distDir, version);
    const record = await readFile(join(dir, BUILD_RECORD), 'utf8').then(
      (t) => JSON.parse(t) as AppImageRecord,
      () => undefined,
    );
    if (!record) throw new MissingOutputError(join(dir, BUILD_RECORD), spec.name, 'build');
    if (store) await completeLayout(dir, store, spec.name);
    for (const repository of publishRepositories(spec)) {
      for (const { arch } of record.arches)
        steps.push({ from: `oci:${dir}:${version}-${arch}`, to: `docker://${repository}:${version}-${arch}` });
      steps.push({ from: `oci:${dir}:${version}`, to: `docker://${repository}:${version}` });
    }
  }
  return steps;
}

/** Pushes the built images (idempotent: a tag already at the digest costs two HEADs). */
export async function publishAppImage(
  steps: readonly PublishStep[],
  scheduler: CopyScheduler,
  context: LocationContext,
): Promise<CopyResult[]> {
  const pairs = steps.map((step) => {
    const from = parseLocation(step.from);
    return { source: openSource(from, context), target: openTarget(parseLocation(step.to), context, from) };
  });
  return copyImages(scheduler, pairs);
}
