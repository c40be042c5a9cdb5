import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isDigest } from '../digest';
import { streamToFileAtomic, writeFileAtomic } from '@dockyard/files';
import type { ManifestBlob } from '../manifest';
import { StoragePaths } from './storage-paths';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Reads and writes a registry-storage directory (`docker/registry/v2/...`). */
export class RegistryStorage {
  readonly paths: StoragePaths;
  constructor(readonly dir: string) {
    this.paths = new StoragePaths(dir);
  }

  hasBlobData(digest: string): Promise<boolean> {
    return exists(this.paths.blobData(digest));
  }

  async hasLayer(repository: string, digest: string): Promise<boolean> {
    return (await exists(this.paths.layerLink(repository, digest))) && this.hasBlobData(digest);
  }

  /** Links an already stored blob into a repository (the storage-level equivalent of a mount). */
  async linkLayer(repository: string, digest: string): Promise<void> {
    await writeFileAtomic(this.paths.layerLink(repository, digest), digest);
  }

  async writeLayer(repository: string, digest: string, body: Readable): Promise<void> {
    await streamToFileAtomic(this.paths.blobData(digest), body);
    await this.linkLayer(repository, digest);
  }

  openBlob(digest: string, offset = 0): Readable {
    return createReadStream(this.paths.blobData(digest), { start: offset });
  }

  readBlob(digest: string): Promise<Buffer> {
    return readFile(this.paths.blobData(digest));
  }

  /** Stores the manifest as a blob, links its revision, and moves the tag when `reference` is a tag. */
  async writeManifest(repository: string, blob: ManifestBlob, reference: string): Promise<void> {
    if (!(await this.hasBlobData(blob.digest))) await writeFileAtomic(this.paths.blobData(blob.digest), blob.bytes);
    await writeFileAtomic(this.paths.revisionLink(repository, blob.digest), blob.digest);
    if (isDigest(reference)) return;
    await writeFileAtomic(this.paths.tagIndexLink(repository, reference, blob.digest), blob.digest);
    await writeFileAtomic(this.paths.tagCurrentLink(repository, reference), blob.digest);
  }

  async resolve(repository: string, reference: string): Promise<string | undefined> {
    if (isDigest(reference))
      return (await exists(this.paths.revisionLink(repository, reference))) ? reference : undefined;
    const link = await readFile(this.paths.tagCurrentLink(repository, reference), 'utf8').catch(() => undefined);
    return link?.trim();
  }
}
