import { DockyardError } from '@dockyard/errors';
import { namedLocation, parseLocation, type Location } from '../location/transports';
import { parseOptionalRegistryReference, parseReference, type ImageRef } from '../reference';
import type { ImageListEntry } from './image-list';

export interface Rewrite {
  from: string;
  to: string;
}

export interface SyncJob {
  entry: ImageListEntry;
  /** The list line with its registry host removed: the name written at every target. */
  path: string;
  source: ImageRef;
  targets: Location[];
}

/** Applies the first matching prefix rewrite (`release/` → `devops_release/`) to a source path. */
function rewritePath(path: string, rewrites: Rewrite[]): string {
  const rule = rewrites.find((r) => path.startsWith(r.from));
  return rule ? rule.to + path.slice(rule.from.length) : path;
}

/** A `--to` value: a registry (`host[/prefix]` or `docker://host[/prefix]`), `oci:DIR` or `registry-dir:DIR`. */
export function parseSyncTarget(
  value: string,
): Location | { transport: 'docker-prefix'; registry: string; prefix: string } {
  if (value.startsWith('oci:') || value.startsWith('registry-dir:')) return parseLocation(value);
  const bare = value.replace(/^docker:\/\//, '').replace(/\/+$/, '');
  const slash = bare.indexOf('/');
  return {
    transport: 'docker-prefix',
    registry: slash < 0 ? bare : bare.slice(0, slash),
    prefix: slash < 0 ? '' : bare.slice(slash + 1),
  };
}

function joinPath(prefix: string, path: string): string {
  return prefix ? `${prefix}/${path}` : path;
}

/**
 * One job per list line: the source is `FROM/rewrite(line)`, every target receives `line`
 * unchanged (under the target's prefix). Lines with a host use it as the source when no
 * `from` registry is given.
 */
export function planSync(
  entries: ImageListEntry[],
  from: string | undefined,
  targets: string[],
  rewrites: Rewrite[],
): SyncJob[] {
  // `--to X --to X` (or a project target repeated on the command line) is one target, copied once.
  const parsedTargets = [
    ...new Map(targets.map(parseSyncTarget).map((target) => [JSON.stringify(target), target])).values(),
  ];
  const seen = new Set<string>();
  const jobs: SyncJob[] = [];
  for (const entry of entries) {
    const where = `${entry.file}:${entry.line}`;
    let lineRef: ReturnType<typeof parseOptionalRegistryReference>;
    try {
      lineRef = parseOptionalRegistryReference(entry.image);
    } catch (err) {
      throw new DockyardError(`${where}: ${(err as Error).message}`, { code: 'SYNC_LIST_LINE', cause: err });
    }
    const sourceRegistry = from ?? lineRef.registry;
    if (!sourceRegistry)
      throw new DockyardError(`${where}: "${entry.image}" names no registry`, {
        code: 'SYNC_SOURCE_REGISTRY_MISSING',
        hint: 'write the host in the list, or name the registry to read from',
      });
    const suffix = `${lineRef.tag ? `:${lineRef.tag}` : ''}${lineRef.digest ? `@${lineRef.digest}` : ''}`;
    const path = `${lineRef.repository}${suffix}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const source = parseReference(`${sourceRegistry}/${rewritePath(lineRef.repository, rewrites)}${suffix}`);
    const jobTargets: Location[] = parsedTargets.map((target) => {
      if (target.transport === 'docker-prefix')
        return { transport: 'docker', ref: parseReference(`${target.registry}/${joinPath(target.prefix, path)}`) };
      return namedLocation(target, { repository: lineRef.repository, tag: lineRef.tag ?? lineRef.digest });
    });
    jobs.push({ entry, path, source, targets: jobTargets });
  }
  return jobs;
}

/**
 * The job reading its source by `digest` (as a lock pins it; a registry is asked for the digest when a reference
 * has both, the tag is kept for reports); `path` keeps the tag, so every target still receives it under its tag.
 */
export function pinnedJob(job: SyncJob, digest: string): SyncJob {
  return { ...job, source: { ...job.source, digest } };
}
