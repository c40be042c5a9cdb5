import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeDirectory } from './make-directory';
import { forgetTemp, sweepFolderOnce, trackTemp } from './temp-files';

/**
 * A unique sibling of `path` (same folder, so the final rename stays on one file system), removed if
 * the process is interrupted; stale temps of dead processes in that folder are swept first.
 */
export function tempPathFor(path: string): string {
  sweepFolderOnce(path);
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  trackTemp(temp);
  return temp;
}

/** Fills a temp file beside `path` and renames it into place; on any failure the temp file is removed. */
async function replaceAtomically(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await makeDirectory(dirname(path));
  const temp = tempPathFor(path);
  try {
    await fill(temp);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    forgetTemp(temp);
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

/**
 * Puts the file `from` at `path` as a hard link, so both names are one file and no bytes are copied (a copy
 * where they are on different file systems), replacing what `path` held in one rename.
 */
export function linkFileAtomic(from: string, path: string): Promise<void> {
  return replaceAtomically(path, (temp) =>
    link(from, temp).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      return copyFile(from, temp);
    }),
  );
}
