import type { BuildResult } from '@dockyard/builder';
import { DockyardError } from '@dockyard/errors';
import { ContentStore, formatReference, locationContext, type CopyScheduler, type RegistryPool } from '@dockyard/oci';
import { lockFilePath, pinnedDigest, readPinnedLock, releaseBaseImage } from '@dockyard/sources';
import { buildReleaseImage } from './release-image';
import type { ReleaseProject } from './project';

export interface ReleaseBuildOptions {
  pool: RegistryPool;
  scheduler: CopyScheduler;
  store?: ContentStore;
  /** Build and write dist/, push nothing. */
  dryRun?: boolean;
}

/** `build.from` at the digest the lock pins, so the release image starts from what `resolve` recorded. */
async function pinnedBase(project: ReleaseProject): Promise<string> {
  const { spec, dir, file } = project;
  const lock = await readPinnedLock({ name: spec.name, dir, file }, spec.components);
  const base = releaseBaseImage(spec, file);
  return base ? formatReference({ ...base.source, digest: pinnedDigest(lock, base, lockFilePath(dir)) }) : 'scratch';
}

/** A Release's image, from its `build:` section: into dist/<name>/release-image/ and pushed to build.image. */
export async function buildProject(
  project: ReleaseProject,
  options: ReleaseBuildOptions,
): Promise<{ reference: string; result: BuildResult; layout: string; pushed: boolean }> {
  const { spec } = project;
  if (!spec.build)
    throw new DockyardError(
      `${project.file}: ${spec.name} has no build: section, so there is no release image to build`,
      { code: 'SECTION_MISSING', hint: 'add build.image and, if needed, build.from and build.files' },
    );
  return buildReleaseImage({
    spec,
    projectDir: project.dir,
    workspaceRoot: project.workspaceRoot,
    store: options.store ?? ContentStore.default(),
    context: locationContext(options.pool),
    scheduler: options.scheduler,
    from: await pinnedBase(project),
    dryRun: options.dryRun,
  });
}
