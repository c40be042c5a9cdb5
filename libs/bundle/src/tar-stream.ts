import { Readable } from 'node:stream';
import { Header, Pax } from 'tar';

/**
 * One entry of a deterministic tar: everything that varies between machines (owner, mtime,
 * order) is fixed by the writer. Mirrors the TarEntry of the engine's tar writer so the two can
 * be swapped.
 */
export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink';
  mode?: number;
  /** Seconds since the epoch; default 0. */
  mtime?: number;
  size?: number;
  linkpath?: string;
  content?: Buffer | (() => Readable | Promise<Readable>);
}

const BLOCK = 512;
const TYPE = { file: 'File', directory: 'Directory', symlink: 'SymbolicLink' } as const;

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Byte order of the path, so the order never depends on locale or on the file system. */
export function sortTarEntries(entries: TarEntry[]): TarEntry[] {
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function entrySize(entry: TarEntry): number {
  if (entry.type !== 'file') return 0;
  return entry.size ?? (Buffer.isBuffer(entry.content) ? entry.content.length : 0);
}

/** The header block(s) of an entry: a PAX extended header first when the name or size needs it. */
export function tarHeaderBlocks(entry: TarEntry): Buffer {
  const size = entrySize(entry);
  const data = {
    path: entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path,
    mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size,
    mtime: new Date((entry.mtime ?? 0) * 1000),
    type: TYPE[entry.type],
    linkpath: entry.linkpath,
  };
  const header = new Header(data);
  const block = Buffer.alloc(BLOCK);
  if (!header.encode(block, 0)) return block;
  // Only what does not fit the ustar fields goes into the PAX record, with no atime/ctime, so it is stable.
  const pax = new Pax({ path: data.path, linkpath: data.linkpath, size, mtime: data.mtime }).encode();
  const short = new Header({ ...data, path: data.path.slice(-99).replace(/^\/+/, ''), linkpath: data.linkpath?.slice(-99) });
  const shortBlock = Buffer.alloc(BLOCK);
  short.encode(shortBlock, 0);
  return Buffer.concat([pax, shortBlock]);
}

/** Exact byte length of the tar `tarStream(entries)` produces (sizes must be set on streamed entries). */
export function tarSize(entries: TarEntry[]): number {
  let total = 2 * BLOCK;
  for (const entry of entries) {
    const size = entrySize(entry);
    total += tarHeaderBlocks(entry).length + size + paddingFor(size);
  }
  return total;
}

async function* generate(entries: TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const size = entrySize(entry);
    yield tarHeaderBlocks(entry);
    if (entry.type !== 'file' || size === 0) continue;
    if (Buffer.isBuffer(entry.content)) {
      yield entry.content;
    } else {
      if (!entry.content) throw new Error(`tar entry ${entry.path} has a size but no content`);
      let written = 0;
      for await (const chunk of await entry.content()) {
        written += (chunk as Buffer).length;
        if (written > size) throw new Error(`tar entry ${entry.path}: content is longer than the ${size} bytes planned`);
        yield chunk as Buffer;
      }
      if (written !== size) throw new Error(`tar entry ${entry.path}: content is ${written} bytes, ${size} planned`);
    }
    const padding = paddingFor(size);
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** A sequential tar of `entries` in the order given (sort them first), ending with two zero blocks. */
export function tarStream(entries: TarEntry[]): Readable {
  return Readable.from(generate(entries), { objectMode: false });
}
