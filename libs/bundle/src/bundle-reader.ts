import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import {
  archiveReadError,
  bundleFileCompression,
  compressionOf,
  decompressed,
  unsafeMemberReason,
} from '@dockyard/oci';
import { DockyardError } from '@dockyard/errors';

/** PAX and GNU long-name records larger than this are refused: no real path or link needs 64 KiB. */
export const MAX_HEADER_BYTES = 64 << 10;

/** A member that would write outside the extraction folder, or is no plain file, folder or link. */
function unsafeArchive(message: string): DockyardError {
  return new DockyardError(message, { code: 'ARCHIVE_UNSAFE' });
}

export interface ArchiveEntry {
  /** The path as stored, without a leading `./`. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  size: number;
  linkpath?: string;
  /** The entry's data; read it or call `body.resume()`. */
  body: Readable;
}

const TYPES: Record<string, ArchiveEntry['type'] | undefined> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'directory',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
};

/** Refuses what could write outside the extraction folder or create anything but files, folders and links. */
function checkEntry(where: string, path: string, typeName: string, linkpath: string | undefined): ArchiveEntry['type'] {
  const name = path.replace(/^(\.\/)+/, '');
  const type = TYPES[typeName];
  const reason = unsafeMemberReason({ name, type: type ?? 'other', rawType: typeName, linkpath });
  if (reason || !type)
    throw unsafeArchive(`${where}: entry ${path} ${reason ?? `is a ${typeName}`}; refusing to read this archive`);
  return type;
}

/**
 * Calls `onEntry` for each entry of a plain tar stream, in order, checking every header first.
 * The tar is never extracted: each body is a stream the handler reads (hash, upload, parse).
 */
export async function forEachEntry(
  input: Readable,
  where: string,
  onEntry: (entry: ArchiveEntry) => Promise<void> | void,
): Promise<void> {
  const parser = new Parser({ strict: true, maxMetaEntrySize: MAX_HEADER_BYTES });
  // Handlers run one after another, in archive order: a later entry's handler may rely on what an earlier one read (the inventory).
  let chain: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(err);
    };
    parser.on('ignoredEntry', (entry: ReadEntry) =>
      fail(
        unsafeArchive(
          `${where}: a ${entry.type} header of ${entry.size} bytes is larger than the ${MAX_HEADER_BYTES} allowed`,
        ),
      ),
    );
    parser.on('error', fail);
    parser.on('entry', (entry: ReadEntry) => {
      if (failed) return entry.resume();
      try {
        const type = checkEntry(where, entry.path, entry.type, entry.linkpath);
        const body = Readable.from(entry, { objectMode: false });
        const path = entry.path.replace(/^(\.\/)+/, '');
        chain = chain
          .then(async () => {
            if (failed) entry.resume();
            else await onEntry({ path, type, size: entry.size, linkpath: entry.linkpath, body });
          })
          .catch((err) => {
            entry.resume();
            fail(err);
          });
      } catch (err) {
        entry.resume();
        fail(err);
      }
    });
    parser.on('end', () => chain.then(() => !failed && resolve(), fail));
    input.on('error', fail);
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
}

/** Reads a bundle file in place: decompressed as its name says, never extracted. */
export async function forEachBundleEntry(
  file: string,
  onEntry: (entry: ArchiveEntry) => Promise<void> | void,
): Promise<void> {
  const compression = await bundleFileCompression(file);
  try {
    await forEachEntry(decompressed(createReadStream(file), compression), file, onEntry);
  } catch (err) {
    throw archiveReadError(file, err);
  }
}

/** The entries of a tar nested in a bundle (the image payload), decompressed as its own name says. */
export function forEachNestedEntry(
  entry: ArchiveEntry,
  where: string,
  onEntry: (entry: ArchiveEntry) => Promise<void> | void,
): Promise<void> {
  return forEachEntry(decompressed(entry.body, compressionOf(entry.path)), `${where}!${entry.path}`, onEntry);
}
