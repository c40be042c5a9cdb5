import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '@dockyard/files';
import type { ContextEntry } from './build-context';

/** Magic numbers of formats that are compressed already (gzip, zstd, xz, bzip2, zip): deflating them wins nothing. */
const COMPRESSED_MAGIC = [
  [0x1f, 0x8b],
  [0x28, 0xb5, 0x2f, 0xfd],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  [0x42, 0x5a, 0x68],
  [0x50, 0x4b, 0x03, 0x04],
];

function looksCompressed(head: Buffer): boolean {
  return COMPRESSED_MAGIC.some((magic) => magic.every((byte, i) => head[i] === byte));
}

function readBufferSize(size: number): number {
  return Math.min(1 << 20, Math.max(1 << 12, size));
}

export interface ContentFacts {
  digest: string;
  /** The file starts like a compressed format. */
  compressed: boolean;
}

/**
 * sha256 of context files, remembered by inode, size, mtime and ctime (as git's index does) in a file of the
 * content store, so a rebuild reads only the files that changed. A file read for a layer is hashed on the way
 * (`reading`), so a first build reads each file once.
 */
export class ContentDigests {
  private known = new Map<string, [string, string, boolean]>();
  private readonly seen = new Set<string>();
  private changed = false;

  private constructor(private readonly file: string) {}

  static async load(file: string): Promise<ContentDigests> {
    const digests = new ContentDigests(file);
    try {
      digests.known = new Map(
        Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, [string, string, boolean]>),
      );
    } catch {
      // A missing or damaged record only costs re-reading the files.
    }
    return digests;
  }

  /** What is known of the file without reading it. */
  remembered(entry: ContextEntry): ContentFacts | undefined {
    this.seen.add(entry.abs);
    const remembered = this.known.get(entry.abs);
    return remembered && remembered[0] === entry.stamp
      ? { digest: remembered[1], compressed: remembered[2] }
      : undefined;
  }

  async compressed(entry: ContextEntry): Promise<boolean> {
    const known = this.remembered(entry);
    if (known) return known.compressed;
    const handle = await open(entry.abs, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      return looksCompressed(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }

  /** The file's content, hashed as it is read; the digest is remembered when the stream ends. */
  reading(entry: ContextEntry): Readable {
    const hash = createHash('sha256');
    let head: Buffer | undefined;
    // A read buffer sized to the file: a 1 MiB buffer for each of a chart's small files is most of a build's garbage.
    const body = createReadStream(entry.abs, { highWaterMark: readBufferSize(entry.size) });
    body.on('data', (chunk) => {
      head ??= chunk as Buffer;
      hash.update(chunk as Buffer);
    });
    body.on('end', () =>
      this.remember(entry, {
        digest: `sha256:${hash.digest('hex')}`,
        compressed: head !== undefined && looksCompressed(head),
      }),
    );
    return body;
  }

  private remember(entry: ContextEntry, facts: ContentFacts): void {
    this.seen.add(entry.abs);
    this.known.set(entry.abs, [entry.stamp, facts.digest, facts.compressed]);
    this.changed = true;
  }

  async facts(entry: ContextEntry): Promise<ContentFacts> {
    const remembered = this.remembered(entry);
    if (remembered) return remembered;
    const hash = createHash('sha256');
    let head: Buffer | undefined;
    const body = createReadStream(entry.abs, { highWaterMark: readBufferSize(entry.size) });
    body.once('data', (chunk) => (head = chunk as Buffer));
    await pipeline(body, hash);
    const facts = { digest: `sha256:${hash.digest('hex')}`, compressed: head !== undefined && looksCompressed(head) };
    this.remember(entry, facts);
    return facts;
  }

  /**
   * Writes the record back, forgetting files under `folders` this build did not use: files deleted from the
   * context, and scratch copies (AppImage builds, under the temp folder) whose paths never come back.
   */
  async save(folders: readonly string[] = []): Promise<void> {
    for (const path of this.known.keys()) {
      if (!this.seen.has(path) && folders.some((folder) => path.startsWith(`${folder}/`))) {
        this.known.delete(path);
        this.changed = true;
      }
    }
    if (!this.changed) return;
    await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(this.known)));
    this.changed = false;
  }
}
