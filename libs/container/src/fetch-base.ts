import { DockyardError } from '@dockyard/errors';
import { Transform, type Readable } from 'node:stream';
import { ContentStore, DigestMismatchError, SizeMismatchError, digestHex } from '@dockyard/oci';
import type { BaseRepository } from './base-repository';
import { parseChecksumFile } from './repository-layout';

export interface StoredArchive {
  path: string;
  digest: string;
  /** Whether the store had to fetch it (false: it was there from an earlier prepare). */
  fetched: boolean;
}

/** Drops the first `count` bytes: a server that ignored our Range header sent the file from its start. */
function skipBytes(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return done();
      }
      const rest = chunk.subarray(left);
      left = 0;
      done(null, rest);
    },
  });
}

/**
 * Puts the repository file `path` into the shared content store under `digest` (the `.sha256sum`'s value): free
 * when an earlier prepare stored it, resumed (HTTP Range) after an interrupted one, and refused — nothing stored —
 * when the bytes do not hash to the checksum.
 */
export async function fetchBaseArchive(
  repository: BaseRepository,
  path: string,
  digest: string,
  store: ContentStore,
): Promise<StoredArchive> {
  if (await store.has(digest)) return { path: store.path(digest), digest, fetched: false };
  const size = await repository.size(path);
  const blob = {
    descriptor: { mediaType: 'application/x-xz', digest, size },
    origin: { key: repository.where('') },
    async open(offset = 0): Promise<Readable> {
      const response = await repository.open(path, offset);
      return response.offset === offset ? response.body : response.body.pipe(skipBytes(offset));
    },
  };
  try {
    await store.fetch(blob);
  } catch (err) {
    if (!(err instanceof DigestMismatchError) && !(err instanceof SizeMismatchError)) throw err;
    const actual =
      err instanceof DigestMismatchError
        ? `its sha256 is ${digestHex(err.actual)}`
        : 'it changed size while downloading';
    throw new DockyardError(
      `${repository.where(path)}: ${actual} but ${repository.where(`${path}.sha256sum`)} says ${digestHex(digest)}; nothing was stored (a broken upload or a stale checksum: fix the repository, or pick another base.index)`,
      { code: 'BASE_CHECKSUM_MISMATCH' },
    );
  }
  return { path: store.path(digest), digest, fetched: true };
}

/**
 * The repository file `file.path`, checked against the `.sha256sum` at `file.checksumPath`, in the store: what
 * a base archive (ContainerImage) and a base disk image (CloudImage) both are.
 */
export async function fetchChecked(
  repository: BaseRepository,
  file: { path: string; checksumPath: string },
  store: ContentStore,
): Promise<StoredArchive & { url: string }> {
  const digest = parseChecksumFile(await repository.text(file.checksumPath), repository.where(file.checksumPath));
  const stored = await fetchBaseArchive(repository, file.path, digest, store);
  return { ...stored, url: repository.where(file.path) };
}
