import { DockyardError } from '@dockyard/errors';
import { formatReference } from '@dockyard/oci';
import type { Component } from '@dockyard/project-spec';
import { LOCK_FILE_NAME, lockFilePath, readLockFile, type LockFile } from './lock-file';
// RESOLVE_HINT is part of each message, not a separate hint: bundle and build print a thrown error's message only.
import { RESOLVE_HINT, staleLockIssues } from './resolve';
import { describeEntry, type ShippedImage } from './shipped-images';
import { SourceError } from './source-error';

const LOCK_STALE = 'LOCK_STALE';

/**
 * The lock a cached target reads its digests from. One that no longer answers project.yaml's components is
 * refused with the reasons `collect` gives, so nothing is shipped from a lock `resolve --check` would reject.
 */
export async function readPinnedLock(
  project: { name: string; dir: string; file: string },
  components: Component[] = [],
): Promise<LockFile | undefined> {
  const lock = await readLockFile(project.dir).catch((error: unknown) => {
    throw error instanceof SourceError
      ? new DockyardError(`${error.message} (${error.hint})`, { code: error.code, cause: error })
      : error;
  });
  const issues = staleLockIssues({ project: project.name, components, lock });
  if (issues.length > 0) {
    throw new DockyardError(
      `${lockFilePath(project.dir)} no longer matches ${project.file}: ${issues.map((issue) => issue.message).join('; ')} (${RESOLVE_HINT})`,
      { code: LOCK_STALE },
    );
  }
  return lock;
}

/**
 * The digest the lock pins `shipped` to. An image missing from the lock, or locked from another place than
 * project.yaml now reads it, is an error naming it: a cached target never falls back to reading a tag.
 */
export function pinnedDigest(lock: LockFile | undefined, shipped: ShippedImage, lockFile: string): string {
  const pinned = lock?.images?.[shipped.image];
  const source = formatReference(shipped.source);
  if (!pinned)
    throw new DockyardError(
      `${lockFile}: image ${shipped.image} (${describeEntry(shipped.entry)}) is not locked${lock ? '' : `: there is no ${LOCK_FILE_NAME}`} (${RESOLVE_HINT})`,
      { code: 'IMAGE_NOT_LOCKED' },
    );
  if (pinned.source !== source)
    throw new DockyardError(
      `${lockFile}: image ${shipped.image} was locked at ${pinned.source}, but project.yaml now reads it from ${source} (${RESOLVE_HINT})`,
      { code: LOCK_STALE },
    );
  return pinned.digest;
}
