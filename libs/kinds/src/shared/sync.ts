import { existsSync } from 'node:fs';
import { DockyardError } from '@dockyard/errors';
import { isReservedHost, pinnedJob, type ImageListEntry, type Rewrite, type SyncJob } from '@dockyard/oci';
import type { OpenedProject, Plugin, Release } from '@dockyard/project-spec';
import { lockFilePath, pinnedDigest, readPinnedLock, syncedImage } from '@dockyard/sources';
import { expandLists } from './image-lists';
import { MissingOutputError } from './missing-output';

/** What a project's `sync:` section asks to copy, and where sync's report goes. */
export interface ProjectSync {
  /** Image list files (a Release without lists of its own: the images step's list). */
  lists: string[];
  /** Images named in project.yaml itself (a Plugin's image and `images:`). */
  entries: ImageListEntry[];
  from: string;
  targets: string[];
  rewrites: Rewrite[];
  concurrency?: number;
  reportDir: string;
}

/** The `sync:` section of a Release or Plugin, read as what to copy from where to where. */
export async function syncPlan(project: OpenedProject<Release | Plugin>): Promise<ProjectSync> {
  const { spec } = project;
  const sync = spec.sync;
  if (!sync)
    throw new DockyardError(`${project.file}: project "${spec.name}" has no sync: section`, {
      code: 'SECTION_MISSING',
    });
  const ownImages = spec.kind === 'Plugin' ? [spec.spec.service.image, ...(spec.images ?? [])] : [];
  const entries = ownImages.map((image) => ({ image, file: project.file, line: 0 }));
  let lists: string[] = [];
  if (sync.lists?.length) lists = await expandLists(sync.lists, project.dir);
  else if (!entries.length) {
    // Without lists of its own a Release syncs what its images step wrote.
    if (!existsSync(project.outputs.imagesList))
      throw new MissingOutputError(project.outputs.imagesList, spec.name, 'images');
    lists = [project.outputs.imagesList];
  }
  return {
    lists,
    entries,
    from: sync.from.registry,
    targets: sync.to.map((t) => t.registry),
    rewrites: sync.from.rewrites ?? [],
    concurrency: sync.concurrency,
    reportDir: project.outputs.sync,
  };
}

/**
 * A project's images are copied by the digests its lock pins, so sync ships what bundle ships; the tag stays the
 * name written at every target. Images on documentation-only hosts are never locked and stay as named.
 */
export async function pinnedToLock(project: OpenedProject<Release | Plugin>, jobs: SyncJob[]): Promise<SyncJob[]> {
  const { spec } = project;
  const lock = await readPinnedLock(
    { name: spec.name, dir: project.dir, file: project.file },
    spec.kind === 'Release' ? spec.components : [],
  );
  const lockFile = lockFilePath(project.dir);
  return jobs.map((job) => {
    const shipped = syncedImage(spec, job.entry);
    return isReservedHost(shipped.source.registry) ? job : pinnedJob(job, pinnedDigest(lock, shipped, lockFile));
  });
}
