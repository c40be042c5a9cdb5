import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, parseDocument, stringify } from 'yaml';
import { writeFileAtomic } from '@dockyard/files';
import { SourceError } from './source-error';

export const LOCK_FILE_NAME = 'project.lock.yaml';
/** 2 added `images`; a version-1 lock is still read (its components stay reviewed) so `resolve` can add them. */
const LOCK_VERSION = 2;
const READABLE_VERSIONS = [1, LOCK_VERSION];

export interface LockedGit {
  git: string;
  tag: string;
  commit: string;
}

export interface LockedHelm {
  helm: string;
  chart: string;
  version: string;
  url: string;
  digest: string;
}

export interface LockedImage {
  image: string;
  tag: string;
  digest?: string;
}

export type LockedComponent = LockedGit | LockedHelm | LockedImage;

/** An image a cached target ships, pinned: the tag kept for people (as the lock's key), the digest for the pipeline. */
export interface PinnedImage {
  /** The reference the digest was read at (`host/repository:tag`), so a changed read location shows as stale. */
  source: string;
  /** What the tag pointed to then: the manifest, or the index of a multi-arch image. */
  digest: string;
}

export interface LockFile {
  project: string;
  /** By component name. Local folders are not locked: their content is their own version. */
  components: Record<string, LockedComponent>;
  /** By the image's name as project.yaml or the image list spells it, tag included. */
  images?: Record<string, PinnedImage>;
}

const HEADER = '# Written by `dockyard resolve`. Review changes in pull requests; do not edit by hand.\n';

export function lockFilePath(projectDir: string): string {
  return join(projectDir, LOCK_FILE_NAME);
}

/** Lock file text: components and images sorted by name, keys in a fixed order, so diffs show only real changes. */
export function formatLockFile(lock: LockFile): string {
  const components: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(lock.components).sort()) components[name] = orderedEntry(lock.components[name]);
  const images: Record<string, PinnedImage> = {};
  for (const [name, pinned] of Object.entries(lock.images ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    images[name] = { source: pinned.source, digest: pinned.digest };
  const sections = {
    ...(Object.keys(components).length ? { components } : {}),
    ...(Object.keys(images).length ? { images } : {}),
  };
  return HEADER + stringify({ lockVersion: LOCK_VERSION, project: lock.project, ...sections }, { lineWidth: 0 });
}

function orderedEntry(entry: LockedComponent): Record<string, string> {
  if ('git' in entry) return { git: entry.git, tag: entry.tag, commit: entry.commit };
  if ('helm' in entry)
    return { helm: entry.helm, chart: entry.chart, version: entry.version, url: entry.url, digest: entry.digest };
  return { image: entry.image, tag: entry.tag, ...(entry.digest ? { digest: entry.digest } : {}) };
}

export function parseLockFile(text: string, file: string): LockFile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new SourceError(
      `${file} is not a valid lock file${doc.errors[0] ? `: ${doc.errors[0].message.split('\n')[0]}` : ''}`,
      'delete it and run `dockyard resolve` again',
    );
  }
  const data = doc.toJS() as {
    lockVersion?: unknown;
    project?: unknown;
    components?: Record<string, Record<string, unknown>>;
    images?: Record<string, Record<string, unknown>>;
  };
  if (!READABLE_VERSIONS.includes(data.lockVersion as number))
    throw new SourceError(
      `${file} has lockVersion ${String(data.lockVersion)}, this dockyard reads ${READABLE_VERSIONS.join(' and ')}`,
      'delete it and run `dockyard resolve` again',
    );
  const components: Record<string, LockedComponent> = {};
  for (const [name, entry] of Object.entries(data.components ?? {})) {
    const strings = Object.values(entry ?? {}).every((v) => typeof v === 'string');
    const valid =
      strings &&
      (('git' in entry && 'tag' in entry && 'commit' in entry) ||
        ('helm' in entry && 'chart' in entry && 'version' in entry && 'url' in entry && 'digest' in entry) ||
        ('image' in entry && 'tag' in entry));
    if (!valid)
      throw new SourceError(
        `${file}: the entry for component ${name} is incomplete`,
        'run `dockyard resolve` to rewrite it',
      );
    components[name] = entry as unknown as LockedComponent;
  }
  const images: Record<string, PinnedImage> = {};
  for (const [name, entry] of Object.entries(data.images ?? {})) {
    if (
      typeof entry?.source !== 'string' ||
      typeof entry.digest !== 'string' ||
      !/^sha256:[0-9a-f]{64}$/.test(entry.digest)
    ) {
      throw new SourceError(
        `${file}: the entry for image ${name} is incomplete (it needs source and a sha256 digest)`,
        'run `dockyard resolve` to rewrite it',
      );
    }
    images[name] = { source: entry.source, digest: entry.digest };
  }
  return { project: String(data.project ?? ''), components, images };
}

/** The lock beside a project, or undefined when there is none yet. */
export async function readLockFile(projectDir: string): Promise<LockFile | undefined> {
  const file = lockFilePath(projectDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseLockFile(text, file);
}

export async function writeLockFile(projectDir: string, lock: LockFile): Promise<void> {
  await writeFileAtomic(lockFilePath(projectDir), formatLockFile(lock));
}

/** Human-readable changes from `before` to `after`, one line per component, then one per image, sorted. */
export function describeLockChanges(before: LockFile | undefined, after: LockFile): string[] {
  return [...componentChanges(before, after), ...imageChanges(before?.images ?? {}, after.images ?? {})];
}

function componentChanges(before: LockFile | undefined, after: LockFile): string[] {
  const old = before?.components ?? {};
  const names = [...new Set([...Object.keys(old), ...Object.keys(after.components)])].sort();
  const changes: string[] = [];
  for (const name of names) {
    const a = old[name];
    const b = after.components[name];
    if (!b) changes.push(`- ${name}: removed (was ${summary(a!)})`);
    else if (!a) changes.push(`+ ${name}: ${summary(b)}`);
    else if (formatEntry(a) !== formatEntry(b)) changes.push(`~ ${name}: ${summary(a)} -> ${summary(b)}`);
  }
  return changes;
}

function summary(entry: LockedComponent): string {
  if ('git' in entry) return `${entry.tag} (${entry.commit.slice(0, 12)})`;
  if ('helm' in entry) return `${entry.chart} ${entry.version} (${entry.digest.slice(0, 19)})`;
  return `${entry.tag}${entry.digest ? ` (${entry.digest.slice(0, 19)})` : ''}`;
}

function formatEntry(entry: LockedComponent): string {
  return JSON.stringify(orderedEntry(entry));
}

function imageChanges(old: Record<string, PinnedImage>, now: Record<string, PinnedImage>): string[] {
  const changes: string[] = [];
  for (const name of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
    const a = old[name];
    const b = now[name];
    if (!b) changes.push(`- image ${name}: removed (was ${a!.digest})`);
    else if (!a) changes.push(`+ image ${name}: ${b.digest}`);
    else if (a.digest !== b.digest) changes.push(`~ image ${name}: ${a.digest} → ${b.digest}`);
    else if (a.source !== b.source) changes.push(`~ image ${name}: read from ${a.source} → ${b.source}`);
  }
  return changes;
}
