import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A unique sibling of `path` (same folder, so the final rename stays on one file system). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Fills a temp file beside `path` and renames it into place; on any failure the temp file is removed. */
async function replaceAtomically(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await fill(temp);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes a file so readers see either the old content or the new, never a partial file. */
export function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  return replaceAtomically(path, (temp) => writeFile(temp, data));
}

/**
 * Streams into a temp file beside `path` and renames it into place only if the stream ends
 * cleanly — a verifying stream that fails leaves nothing behind.
 */
export function streamToFileAtomic(path: string, body: Readable): Promise<void> {
  return replaceAtomically(path, (temp) => pipeline(body, createWriteStream(temp)));
}
