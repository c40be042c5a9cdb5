import type { BuildResult } from '@dockyard/builder';
import { DockyardError } from '@dockyard/errors';
import type { SignedImage } from '@dockyard/attest';
import {
  ContentStore,
  formatReference,
  locationContext,
  openSource,
  parseLocation,
  parseReference,
  type CopyScheduler,
  type RegistryPool,
} from '@dockyard/oci';
import { lockFilePath, pinnedDigest, readPinnedLock, releaseBaseImage } from '@dockyard/sources';
import { builtImagePackages, projectSigningKey, signPushed } from '../shared/signing';
import { buildReleaseImage } from './release-image';
import type { ReleaseProject } from './project';

export interface ReleaseBuildOptions {
  pool: RegistryPool;
  scheduler: CopyScheduler;
  store?: ContentStore;
  /** Build and write dist/, push nothing. */
  dryRun?: boolean;
  /** Where a `sign:` section's key variables are read (default: the process's). */
  env?: NodeJS.ProcessEnv;
}

/** `build.from` at the digest the lock pins, so the release image starts from what `resolve` recorded. */
async function pinnedBase(project: ReleaseProject): Promise<string> {
  const { spec, dir, file } = project;
  const lock = await readPinnedLock({ name: spec.name, dir, file }, spec.components);
  const base = releaseBaseImage(spec, file);
  return base ? formatReference({ ...base.source, digest: pinnedDigest(lock, base, lockFilePath(dir)) }) : 'scratch';
}

/**
 * A Release's image, from its `build:` section: into dist/<name>/release-image/ and pushed to build.image. With a
 * `sign:` section the key is read before anything is built or pushed, and the pushed digest is signed, its SBOM
 * (the packages the image's own databases list) and provenance attached as referrers.
 */
export async function buildProject(
  project: ReleaseProject,
  options: ReleaseBuildOptions,
): Promise<{ reference: string; result: BuildResult; layout: string; pushed: boolean; signed?: SignedImage }> {
  const { spec } = project;
  if (!spec.build)
    throw new DockyardError(
      `${project.file}: ${spec.name} has no build: section, so there is no release image to build`,
      { code: 'SECTION_MISSING', hint: 'add build.image and, if needed, build.from and build.files' },
    );
  const key = options.dryRun ? undefined : await projectSigningKey(project, options.env ?? process.env);
  const context = locationContext(options.pool);
  const built = await buildReleaseImage({
    spec,
    projectDir: project.dir,
    workspaceRoot: project.workspaceRoot,
    store: options.store ?? ContentStore.default(),
    context,
    scheduler: options.scheduler,
    from: await pinnedBase(project),
    dryRun: options.dryRun,
  });
  if (!key || !built.pushed) return built;
  const packages = await builtImagePackages(
    openSource(parseLocation(`oci:${built.layout}:${built.reference}`), context),
  );
  const ref = parseReference(built.reference);
  const signed = await signPushed(options.pool, { ...ref, digest: built.result.top.manifest.digest }, key, packages);
  return { ...built, signed };
}
