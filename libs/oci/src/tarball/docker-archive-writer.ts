import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '../../../files/src';
import { digestHex } from '../digest';
import type { Image } from '../image/model';
import { planTar, sortTarEntries, type TarEntry } from './tar-writer';

export interface ArchiveImage {
  image: Image;
  /** Tags `docker load` gives the image, exactly as written here. */
  repoTags: string[];
}

/**
 * Writes a `docker load` archive holding many images (like `docker save a b c`): `manifest.json` lists each
 * image with all its tags, `<config hex>.json` and `<layer hex>/layer.tar` are stored once however many images
 * share them. Every size is known from the manifests, so the tar is planned up front (sorted, fixed metadata:
 * the same images give the same bytes) and blobs are written at their offsets in parallel; the file is renamed
 * into place only once every blob arrived verified. Layers keep their compression: `docker load` decompresses.
 */
export class DockerArchiveWriter {
  private readonly temp: string;
  private handle: FileHandle | undefined;
  private readonly offsets = new Map<string, number>();

  constructor(readonly path: string) {
    this.temp = tempPathFor(path);
  }

  async plan(images: readonly ArchiveImage[]): Promise<void> {
    if (await stat(this.path).then((s) => s.isDirectory(), () => false)) {
      throw new Error(`${this.path} is a folder; a docker archive is a file: name one inside it, e.g. ${this.path}/images.tar`);
    }
    const blobs = new Map<string, TarEntry>();
    const manifest = images.map(({ image, repoTags }) => {
      const config = `${digestHex(image.config.descriptor.digest)}.json`;
      blobs.set(image.config.descriptor.digest, { path: config, type: 'file', size: image.config.descriptor.size });
      const layers = image.layers.map((layer) => {
        const hex = digestHex(layer.descriptor.digest);
        blobs.set(layer.descriptor.digest, { path: `${hex}/layer.tar`, type: 'file', size: layer.descriptor.size });
        blobs.set(`${hex}/`, { path: `${hex}/`, type: 'directory' });
        return `${hex}/layer.tar`;
      });
      return { Config: config, RepoTags: repoTags, Layers: layers };
    });
    const manifestJson: TarEntry = { path: 'manifest.json', type: 'file', content: Buffer.from(JSON.stringify(manifest)) };
    const plan = planTar(sortTarEntries([...blobs.values(), manifestJson]));
    const byPath = new Map(plan.entries.map((p) => [p.entry.path, p]));
    for (const [key, entry] of blobs) if (entry.type === 'file') this.offsets.set(key, byPath.get(entry.path)!.dataOffset);

    this.handle = await open(this.temp, 'w');
    for (const planned of plan.entries) {
      await this.handle.write(planned.header, 0, planned.header.length, planned.headerOffset);
      const content = planned.entry.content;
      if (Buffer.isBuffer(content)) await this.handle.write(content, 0, content.length, planned.dataOffset);
    }
    await this.handle.truncate(plan.size);
  }

  async writeBlob(digest: string, body: Readable): Promise<void> {
    const offset = this.offsets.get(digest);
    if (offset === undefined || !this.handle) throw new Error(`${this.path}: blob ${digest} is not part of the planned archive`);
    await pipeline(body, createWriteStream(this.temp, { flags: 'r+', start: offset }));
  }

  async commit(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await rename(this.temp, this.path);
  }

  async abort(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.temp, { force: true });
  }
}
