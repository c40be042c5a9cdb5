import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import type { Arch } from '@dockyard/project-spec';
import { BUILD_RECORD } from '@dockyard/project-spec/output-paths';
import type { PreparedBase } from './prepare';

/** One multi-arch image the build made: an index over one image per arch, under all its tags. */
export interface BuiltImage {
  /** The openEuler version (base images) or the meta.yml tag (app images) it was built for. */
  name: string;
  tags: string[];
  /** The index digest. */
  digest: string;
  /** Each arch's image; `inputs` is its engine build's key (engine-build-key.ts), when the Docker engine built it. */
  platforms: { arch: Arch; digest: string; inputs?: string }[];
}

export const BUILD_SUMMARY = BUILD_RECORD;

/** What `build` leaves in dist/<name>/build: an OCI layout of every image under its tags, and this summary (build.json). */
export interface BuildResult {
  layout: string;
  images: BuiltImage[];
  /** The base archives used, for base images. */
  bases: PreparedBase[];
}

/** The summary an earlier build of `name` left in `buildDir`; a BUILD_MISSING error when there is none. */
export async function readBuildResult(buildDir: string, name: string): Promise<BuildResult> {
  const file = join(buildDir, BUILD_SUMMARY);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BuildResult;
  } catch (err) {
    throw new DockyardError(`${file}: no build of ${name} yet`, {
      code: 'BUILD_MISSING',
      hint: 'build the project first',
      cause: err,
    });
  }
}
