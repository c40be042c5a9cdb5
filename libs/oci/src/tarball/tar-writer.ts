import { Readable } from 'node:stream';
import { BLOCK, paddingFor, tarCodec } from './tar-header';
import { DockyardError } from '@dockyard/errors';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

/** One archive member. Everything that would make two archives of the same content differ has a fixed default. */
export interface TarEntry {
  path: string;
  type: TarEntryType;
  /** Permission bits; default 0644 for files, 0755 for directories, 0777 for symlinks. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; default 0. */
  mtime?: number;
  /** Data length of a file (other types have none). */
  size?: number;
  /** Target of a symlink or hard link. */
  linkpath?: string;
  /** File data: bytes, or a function opening them (called when the entry is written). */
  content?: Buffer | (() => Readable | Promise<Readable>);
}

const TYPE_NAMES: Record<TarEntryType, 'File' | 'Directory' | 'SymbolicLink' | 'Link'> = {
  file: 'File',
  directory: 'Directory',
  symlink: 'SymbolicLink',
  hardlink: 'Link',
};

const DEFAULT_MODES: Record<TarEntryType, number> = { file: 0o644, directory: 0o755, symlink: 0o777, hardlink: 0o644 };

function dataSize(entry: TarEntry): number {
  if (entry.type !== 'file') return 0;
  if (entry.size !== undefined) return entry.size;
  if (Buffer.isBuffer(entry.content)) return entry.content.length;
  throw new DockyardError(`tar entry ${entry.path}: a streamed file needs its size`, { code: 'ARCHIVE_ENTRY_INVALID' });
}

function memberPath(entry: TarEntry): string {
  const path = entry.path.replace(/^\/+/, '');
  return entry.type === 'directory' && !path.endsWith('/') ? `${path}/` : path;
}

/**
 * The header blocks of one entry: a ustar header, preceded by a PAX extended header when a field does not fit
 * (names over 100/255 bytes, long link targets, sizes of 8 GiB or more). uname/gname are always empty.
 */
export function tarEntryHeader(entry: TarEntry): Buffer {
  const path = memberPath(entry);
  const size = dataSize(entry);
  const fields = {
    path,
    mode: entry.mode ?? DEFAULT_MODES[entry.type],
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    size,
    mtime: new Date((entry.mtime ?? 0) * 1000),
    type: TYPE_NAMES[entry.type],
    linkpath: entry.linkpath ?? '',
    uname: '',
    gname: '',
  };
  const { Header, Pax } = tarCodec();
  const header = new Header(fields);
  const block = Buffer.alloc(BLOCK);
  if (!header.encode(block)) return block;
  const pax = new Pax({ path, linkpath: entry.linkpath || undefined, size: size >= 0o77777777777 ? size : undefined });
  return Buffer.concat([pax.encode(), block]);
}

/** Sorted by member path, byte by byte, so the same set of entries always gives the same archive. */
export function sortTarEntries<T extends Pick<TarEntry, 'path'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

export interface PlannedTarEntry {
  entry: TarEntry;
  header: Buffer;
  headerOffset: number;
  dataOffset: number;
  size: number;
}

export interface TarPlan {
  entries: PlannedTarEntry[];
  /** Total archive length, end-of-archive blocks included. */
  size: number;
}

/** Where every header and every file's data sit, in the given order: lets blobs be written in parallel at their offsets. */
export function planTar(entries: readonly TarEntry[]): TarPlan {
  const planned: PlannedTarEntry[] = [];
  let offset = 0;
  for (const entry of entries) {
    const header = tarEntryHeader(entry);
    const size = dataSize(entry);
    planned.push({ entry, header, headerOffset: offset, dataOffset: offset + header.length, size });
    offset += header.length + size + paddingFor(size);
  }
  return { entries: planned, size: offset + 2 * BLOCK };
}

async function* tarChunks(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    yield tarEntryHeader(entry);
    const size = dataSize(entry);
    if (size === 0) continue;
    if (Buffer.isBuffer(entry.content)) {
      yield entry.content;
    } else {
      if (!entry.content)
        throw new DockyardError(`tar entry ${entry.path}: no content for ${size} bytes`, {
          code: 'ARCHIVE_ENTRY_INVALID',
        });
      let written = 0;
      for await (const chunk of await entry.content()) {
        written += (chunk as Buffer).length;
        if (written > size)
          throw new DockyardError(`tar entry ${entry.path}: content is longer than its size ${size}`, {
            code: 'ARCHIVE_ENTRY_INVALID',
          });
        yield chunk as Buffer;
      }
      if (written !== size)
        throw new DockyardError(`tar entry ${entry.path}: content is ${written} bytes, its size says ${size}`, {
          code: 'ARCHIVE_ENTRY_INVALID',
        });
    }
    const padding = paddingFor(size);
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** A tar archive of `entries`, in the order given (sort them with sortTarEntries for a reproducible archive). */
export function tarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}
