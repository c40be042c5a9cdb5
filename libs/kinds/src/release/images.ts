import { existsSync } from 'node:fs';
import { discoverImages, writeImagesOutput, type DiscoveryResult, type Finding } from '@dockyard/discover';
import { MissingOutputError } from '../shared/missing-output';
import type { ReleaseProject } from './project';

export interface ImagesFacts extends DiscoveryResult {
  /** Where images.list and images.json were written; unset when an input was missing (nothing written). */
  outDir?: string;
}

/**
 * Lists every image a Release's collected charts and manifests run, with its `images:` settings, into `outDir`
 * (default dist/<name>/images). The collect step must have run.
 */
export async function listProjectImages(
  project: ReleaseProject,
  options: { outDir?: string } = {},
): Promise<ImagesFacts> {
  const { spec } = project;
  const collected = project.outputs.collect;
  if (!existsSync(collected)) throw new MissingOutputError(collected, spec.name, 'collect');
  const settings = spec.images ?? {};
  const extra: Finding[] = (settings.extra ?? []).map((text, i) => ({
    text,
    source: { file: project.file, keyPath: `images.extra[${i}]` },
  }));
  const result = await discoverImages([collected], {
    relativeTo: collected,
    optional: settings.optional ?? 'include',
    extra,
    exclude: settings.exclude,
  });
  if (result.missing.length) return result;
  const outDir = options.outDir ?? project.outputs.images;
  await writeImagesOutput(outDir, result.images, {
    stripRegistry: settings.stripRegistry,
    includeTests: settings.tests === 'include',
  });
  return { ...result, outDir };
}
