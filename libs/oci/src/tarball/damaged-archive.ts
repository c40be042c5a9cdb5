import { access } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';
import { compressionOf, CompressionError, type Compression } from './compression';
import { TarFormatError } from './tar-reader';

/** zlib's codes for compressed data that is corrupt (Z_DATA_ERROR) or cut short (Z_BUF_ERROR). */
const ZLIB_DAMAGE = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR']);

/** The archive file could not be read as one: it is missing, not a file, or its bytes are damaged. */
function unreadable(message: string, cause: unknown): DockyardError {
  return new DockyardError(message, { code: 'ARCHIVE_UNREADABLE', cause });
}

/**
 * `err`, met while reading the archive `file`, as an error that names the file and says what to do when the cause is
 * the file itself (missing, a folder, unreadable, a damaged compression stream or tar); anything else is returned
 * as it was.
 */
export function archiveReadError(file: string, err: unknown): unknown {
  const { code, message } = err as NodeJS.ErrnoException;
  if (code === 'ENOENT')
    return unreadable(
      `${file}: no such file; name a bundle file (dockyard bundle writes them in dist/<project>/bundle/)`,
      err,
    );
  if (code === 'EISDIR') return unreadable(`${file} is a folder; name the bundle file in it`, err);
  if (code === 'EACCES')
    return unreadable(`${file}: permission denied; make it readable, or copy it somewhere you can read it`, err);
  // A CompressionError is also what a bundle name without a known ending gets; only zstd's own failure is damage.
  const zstdFailed = err instanceof CompressionError && message.startsWith('zstd exited');
  const damaged =
    (code !== undefined && ZLIB_DAMAGE.has(code)) ||
    code?.startsWith('TAR_') ||
    zstdFailed ||
    err instanceof TarFormatError;
  if (!damaged) return err;
  const detail = message.replace(`${file}: `, '');
  return unreadable(
    `${file} is damaged (${detail}): it is cut short or corrupt; copy or download it again, and compare its sha256 with the one published beside it`,
    err,
  );
}

/** The compression a bundle file's name says, once the file is known to be there: a mistyped path is named as missing. */
export async function bundleFileCompression(file: string): Promise<Compression> {
  await access(file).catch((err: unknown) => {
    throw archiveReadError(file, err);
  });
  return compressionOf(file);
}
