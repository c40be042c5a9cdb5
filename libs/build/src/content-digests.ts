import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../../files/src/atomic-write';
import type { ContextEntry } from './build-context';

/**
 * sha256 of context files, remembered by inode, size, mtime and ctime (as git's index does) in a file of the
 * content store, so a rebuild reads only the files that changed.
 */
export class ContentDigests {
  private known = new Map<string, [string, string]>();
  private changed = false;

  private constructor(private readonly file: string) {}

  static async load(file: string): Promise<ContentDigests> {
    const digests = new ContentDigests(file);
    try {
      digests.known = new Map(Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, [string, string]>));
    } catch {
      // A missing or damaged record only costs re-reading the files.
    }
    return digests;
  }

  async digest(entry: ContextEntry): Promise<string> {
    const remembered = this.known.get(entry.abs);
    if (remembered && remembered[0] === entry.stamp) return remembered[1];
    const hash = createHash('sha256');
    await pipeline(createReadStream(entry.abs), hash);
    const digest = `sha256:${hash.digest('hex')}`;
    this.known.set(entry.abs, [entry.stamp, digest]);
    this.changed = true;
    return digest;
  }

  async save(): Promise<void> {
    if (!this.changed) return;
    await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(this.known)));
    this.changed = false;
  }
}
