import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '@dockyard/project-spec';
import type { PreparedBase } from './prepare';
import { outputDir, type ContainerProject } from './project';

/** One multi-arch image the build made: an index over one image per arch, under all its tags. */
export interface BuiltImage {
  /** The openEuler version (base images) or the meta.yml tag (app images) it was built for. */
  name: string;
  tags: string[];
  /** The index digest. */
  digest: string;
  platforms: { arch: Arch; digest: string }[];
}

export const BUILD_SUMMARY = 'build.json';

/** What `build` leaves in dist/<name>/build: an OCI layout of every image under its tags, and this summary (build.json). */
export interface BuildResult {
  layout: string;
  images: BuiltImage[];
  /** The base archives used, for base images. */
  bases: PreparedBase[];
}

/** The summary an earlier build left, or an error saying to build first. */
export async function readBuildResult(project: ContainerProject): Promise<BuildResult> {
  const file = join(outputDir(project, 'build'), BUILD_SUMMARY);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BuildResult;
  } catch {
    throw new Error(
      `${file}: no build of ${project.spec.name} yet (run \`dockyard build --project ${project.file}\` first)`,
    );
  }
}
