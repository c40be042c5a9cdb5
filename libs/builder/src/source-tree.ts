import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { BuildContext, contextError } from './build-context';
import type { ContentDigests } from './content-digests';
import { compileGlob, hasGlob, type SegmentMatcher } from './glob';

/** A file, folder or link a COPY/ADD can take: from the build context, an earlier stage or an image. */
export interface SourceNode {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  mode: number;
  size: number;
  linkpath?: string;
  /** What identifies the content, when known without reading it (the layer cache key uses it). */
  contentId(): Promise<string | undefined>;
  /** The content digest, reading the file if need be (context files). */
  digest?(): Promise<string>;
  /** What identifies this version of a file without reading it (inode, size, times): a same-machine cache key. */
  stamp?: string;
  /** The content is in a compressed format already (known for context files). */
  compressed?(): Promise<boolean>;
  open?(): Readable | Promise<Readable>;
  /** A local file path when there is one (ADD of a local archive reads it). */
  localPath?: string;
  /**
   * For a context whose history is known: the time of the last commit touching this file, 0 for a file no commit
   * holds (generated, untracked) and for folders. Undefined when there is no history to read.
   */
  committed?: number;
}

export interface SourceTree {
  readonly name: string;
  /** The paths a source names: itself, or every match of a pattern; throws when none exists. */
  resolve(source: string): Promise<string[]>;
  /** `path` and everything below it, parents first. */
  walk(path: string): Promise<SourceNode[]>;
}

function cleanSourcePath(source: string): string {
  return posix.normalize(`/${source}`).slice(1).replace(/\/$/, '');
}

export function contextTree(
  context: BuildContext,
  digests: ContentDigests,
  commitTimes?: ReadonlyMap<string, number>,
): SourceTree {
  return {
    name: 'the build context',
    resolve: (source) => context.resolveSource(source),
    async walk(path) {
      return (await context.walk(path)).map((entry) => ({
        path: entry.path,
        type: entry.type,
        mode: entry.mode,
        size: entry.size,
        linkpath: entry.linkpath,
        localPath: entry.type === 'file' ? entry.abs : undefined,
        stamp: entry.type === 'file' ? `stamp:${entry.abs}:${entry.stamp}` : undefined,
        contentId: async () => (entry.type === 'file' ? digests.remembered(entry)?.digest : undefined),
        digest: async () => (await digests.facts(entry)).digest,
        compressed: async () => entry.type === 'file' && (await digests.compressed(entry)),
        open: entry.type === 'file' ? () => digests.reading(entry) : undefined,
        committed: commitTimes ? (commitTimes.get(entry.path) ?? 0) : undefined,
      }));
    },
  };
}

function matchPaths(paths: string[], segments: SegmentMatcher[]): string[] {
  const matches = (parts: string[], at: number, seg: number): boolean => {
    if (seg === segments.length) return at === parts.length;
    const matcher = segments[seg]!;
    if (matcher.any) {
      for (let skip = at; skip <= parts.length; skip++) if (matches(parts, skip, seg + 1)) return true;
      return false;
    }
    return at < parts.length && matcher.test(parts[at]!) && matches(parts, at + 1, seg + 1);
  };
  return paths.filter((p) => matches(p.split('/'), 0, 0));
}

/** A tree held as a map of paths (an earlier stage's files, an image's unpacked layers). */
export function mapTree(name: string, nodes: ReadonlyMap<string, SourceNode>): SourceTree {
  const sorted = () => [...nodes.keys()].sort();
  return {
    name,
    async resolve(source) {
      const cleaned = cleanSourcePath(source);
      if (cleaned === '') return [''];
      const found = hasGlob(cleaned) ? matchPaths(sorted(), compileGlob(cleaned)) : nodes.has(cleaned) ? [cleaned] : [];
      if (!found.length) throw contextError(`"${source}" does not exist in ${name}`);
      return found;
    },
    async walk(path) {
      const root: SourceNode | undefined =
        path === ''
          ? { path: '', type: 'directory', mode: 0o755, size: 0, contentId: async () => undefined }
          : nodes.get(path);
      if (!root) return [];
      if (root.type !== 'directory') return [root];
      const prefix = path === '' ? '' : `${path}/`;
      return [
        root,
        ...sorted()
          .filter((p) => p.startsWith(prefix) && p !== path)
          .map((p) => nodes.get(p)!),
      ];
    },
  };
}
