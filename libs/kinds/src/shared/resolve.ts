import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { formatReference, type RegistryPool } from '@dockyard/oci';
import type { AppImage, OpenedProject, Plugin, Release } from '@dockyard/project-spec';
import {
  describeLockChanges,
  formatLockFile,
  formatSourceIssue,
  lockFilePath,
  parseLockFile,
  pinImages,
  resolveComponents,
  SourceError,
  staleLockIssues,
  writeLockFile,
  type LockFile,
  type ShippedImages,
} from '@dockyard/sources';

export type LockedProject = OpenedProject<Release | Plugin | AppImage>;

/** What one kind ships, for its lock: found with the lock just resolved (a Release collects with it). */
export type ShippedImagesOf<P extends LockedProject> = (
  project: P,
  lock: LockFile,
  report: ResolveReport,
) => Promise<ShippedImages | undefined>;

/** What a resolve run has to say besides its outcome. */
export interface ResolveReport {
  /** Facts for the log (images not locked because they live on documentation-only hosts). */
  notes: string[];
  /** Problems that do not stop the run (an unreadable old lock, discovery warnings). */
  warnings: string[];
  /** Problems that stop it, each pointing at project.yaml or a file. */
  issues: string[];
}

export interface ResolveOptions {
  /** Look every component and image up again. */
  update?: boolean;
  /** Write nothing; say whether the lock is current (reads every image digest again). */
  check?: boolean;
  /** Reaches the registries the images are read from. */
  pool: RegistryPool;
}

export interface ResolveFacts extends ResolveReport {
  lockFile: string;
  /** There was no lock file before. */
  missing: boolean;
  /**
   * refused: a check found the lock no longer answers project.yaml; failed: a step failed (`failed` says which);
   * nothing: nothing to lock, no file needed; current: the lock is up to date; stale: a check found it would change;
   * written: the lock was written.
   */
  status: 'refused' | 'failed' | 'nothing' | 'current' | 'stale' | 'written';
  failed?: 'components' | 'images' | 'shipped';
  /** What changed against the previous lock, one line each. */
  changes: string[];
}

/**
 * Pins a project's components to exact versions and every image it ships to its digest, in project.lock.yaml beside
 * project.yaml. Entries that still satisfy project.yaml are kept as reviewed unless `update`.
 */
export async function resolveLock<P extends LockedProject>(
  project: P,
  options: ResolveOptions,
  shippedImagesOf: ShippedImagesOf<P>,
): Promise<ResolveFacts> {
  const { spec } = project;
  const lockFile = lockFilePath(project.dir);
  const current = existsSync(lockFile) ? await readFile(lockFile, 'utf8') : undefined;
  const facts: ResolveFacts = {
    lockFile,
    missing: current === undefined,
    status: 'failed',
    changes: [],
    notes: [],
    warnings: [],
    issues: [],
  };
  let before: LockFile | undefined;
  try {
    before = current === undefined ? undefined : parseLockFile(current, lockFile);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    facts.warnings.push(`${err.message}${err.hint ? ` (${err.hint})` : ''}`);
  }
  const components = spec.kind === 'Release' ? (spec.components ?? []) : [];
  const format = (issues: Parameters<typeof formatSourceIssue>[0][]) =>
    issues.map((issue) => formatSourceIssue(issue, project));
  if (options.check && !options.update) {
    const refused = staleLockIssues({ project: spec.name, components, lock: before });
    if (refused.length) return { ...facts, status: 'refused', issues: format(refused) };
  }
  const resolved = await resolveComponents({
    project: spec.name,
    dir: project.dir,
    components,
    previous: before,
    update: options.update,
  });
  if (resolved.issues.length) return { ...facts, failed: 'components', issues: format(resolved.issues) };
  const { lock } = resolved;
  const shipped = await shippedImagesOf(project, lock, facts);
  if (!shipped) return { ...facts, failed: 'shipped' };
  if (shipped.skipped.length)
    facts.notes.push(
      `not locked: ${shipped.skipped.map((s) => formatReference(s.source)).join(', ')} (documentation-only hosts, RFC 2606, that never resolve)`,
    );
  // A check reads every digest again: a tag that moved since the lock was written is what it exists to catch.
  const pinned = await pinImages({
    images: shipped.images,
    previous: before?.images,
    reread: options.update || options.check,
    pool: options.pool,
  });
  if (pinned.issues.length) return { ...facts, failed: 'images', issues: format(pinned.issues) };
  lock.images = pinned.images;
  facts.changes = describeLockChanges(before, lock);
  if (current === undefined && !Object.keys(lock.components).length && !Object.keys(lock.images ?? {}).length)
    return { ...facts, status: 'nothing' };
  const stale = current !== formatLockFile(lock);
  if (!stale) return { ...facts, status: 'current' };
  if (options.check) return { ...facts, status: 'stale' };
  await writeLockFile(project.dir, lock);
  return { ...facts, status: 'written' };
}
