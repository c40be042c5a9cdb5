import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { assertDigest, digestHex } from '../digest';
import { streamToFileAtomic, writeFileAtomic } from '@dockyard/files';
import type { Descriptor, ManifestBlob } from '../manifest';
import { MediaType } from '../media-types';
import { withFileLock } from './lock';
import { DockyardError } from '@dockyard/errors';
import { OCI_INDEX_FILE, OCI_LAYOUT_FILE } from '@dockyard/project-spec/output-paths';

export { OCI_INDEX_FILE, OCI_LAYOUT_FILE };
export const REF_NAME = 'org.opencontainers.image.ref.name';
export const OCI_LAYOUT_JSON = JSON.stringify({ imageLayoutVersion: '1.0.0' });

/** Where a layout keeps a blob, relative to its root: the one spelling of it for folders and archives alike. */
export function ociBlobPath(digest: string): string {
  return `blobs/sha256/${digestHex(assertDigest(digest, 'OCI layout'))}`;
}

interface IndexJson {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/**
 * An OCI image layout directory used as a shared content-addressed store: blobs are written
 * once via temp + rename, index.json entries are named by `org.opencontainers.image.ref.name`
 * and updated under a lock, so parallel writers are safe.
 */
export class OciLayout {
  constructor(readonly dir: string) {}

  blobPath(digest: string): string {
    return join(this.dir, ociBlobPath(digest));
  }

  async hasBlob(digest: string): Promise<boolean> {
    return access(this.blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  /** `body` must already be verified (a VerifyingStream); it is renamed into place only when it ends cleanly. */
  async writeBlob(digest: string, body: Readable): Promise<void> {
    await this.ensureLayoutFile();
    await streamToFileAtomic(this.blobPath(digest), body);
  }

  openBlob(digest: string, offset = 0): Readable {
    return createReadStream(this.blobPath(digest), { start: offset });
  }

  async readBlob(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  async writeManifest(blob: ManifestBlob): Promise<void> {
    await this.ensureLayoutFile();
    if (!(await this.hasBlob(blob.digest))) await writeFileAtomic(this.blobPath(blob.digest), blob.bytes);
  }

  async readIndex(): Promise<IndexJson> {
    try {
      return JSON.parse(await readFile(join(this.dir, OCI_INDEX_FILE), 'utf8')) as IndexJson;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
      throw new DockyardError(`${join(this.dir, OCI_INDEX_FILE)}: ${(err as Error).message}`, {
        code: 'OCI_INDEX_UNREADABLE',
        cause: err,
      });
    }
  }

  async findRef(name: string): Promise<Descriptor | undefined> {
    return (await this.readIndex()).manifests.find((m) => m.annotations?.[REF_NAME] === name);
  }

  /** Points `name` at `blob` in index.json, replacing an earlier entry of that name. */
  async tag(blob: ManifestBlob, name: string): Promise<void> {
    const indexPath = join(this.dir, OCI_INDEX_FILE);
    await withFileLock(indexPath, async () => {
      const index = await this.readIndex();
      const entry: Descriptor = {
        mediaType: blob.mediaType,
        digest: blob.digest,
        size: blob.bytes.length,
        annotations: { [REF_NAME]: name },
      };
      index.manifests = [...index.manifests.filter((m) => m.annotations?.[REF_NAME] !== name), entry];
      await writeFileAtomic(indexPath, JSON.stringify(index, null, 2) + '\n');
    });
  }

  async ensureLayoutFile(): Promise<void> {
    const path = join(this.dir, OCI_LAYOUT_FILE);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await writeFileAtomic(path, OCI_LAYOUT_JSON);
  }
}
