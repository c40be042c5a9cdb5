import { createWriteStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestHex } from '../digest';
import { tempPathFor } from '../../../files/src/atomic-write';
import { imageBlobs, type ManifestBlob } from '../manifest';
import { BLOCK, entrySpan, tarHeader } from './tar-header';

interface PlannedEntry {
  name: string;
  size: number;
  dataOffset: number;
  content?: Buffer;
}

/**
 * Writes a `docker load` archive (manifest.json, `<config hex>.json`, `<layer hex>/layer.tar`)
 * for one image. Every entry's size is known from the manifest, so the tar layout is planned
 * up front and blobs are written at their offsets in parallel; the file is renamed into place
 * only after every blob arrived verified. Layers keep their compression: `docker load`
 * decompresses them itself.
 */
export class DockerArchiveWriter {
  private readonly temp: string;
  private handle: FileHandle | undefined;
  private entries = new Map<string, PlannedEntry>();

  constructor(readonly path: string, readonly repoTags: string[]) {
    this.temp = tempPathFor(path);
  }

  async plan(image: ManifestBlob): Promise<void> {
    const { config, layers } = imageBlobs(image);
    const layerNames = layers.map((l) => `${digestHex(l.digest)}/layer.tar`);
    const manifestJson = Buffer.from(JSON.stringify([{ Config: `${digestHex(config.digest)}.json`, RepoTags: this.repoTags, Layers: layerNames }]));
    const planned: { key: string; name: string; size: number; content?: Buffer; directory?: boolean }[] = [
      { key: config.digest, name: `${digestHex(config.digest)}.json`, size: config.size },
    ];
    for (const layer of layers) {
      if (planned.some((p) => p.key === layer.digest)) continue;
      planned.push({ key: `${layer.digest}/`, name: `${digestHex(layer.digest)}/`, size: 0, directory: true });
      planned.push({ key: layer.digest, name: `${digestHex(layer.digest)}/layer.tar`, size: layer.size });
    }
    planned.push({ key: 'manifest.json', name: 'manifest.json', size: manifestJson.length, content: manifestJson });

    this.handle = await open(this.temp, 'w');
    let offset = 0;
    for (const entry of planned) {
      await this.handle.write(tarHeader(entry.name, entry.size, { type: entry.directory ? '5' : '0' }), 0, BLOCK, offset);
      const dataOffset = offset + BLOCK;
      if (entry.content) await this.handle.write(entry.content, 0, entry.content.length, dataOffset);
      if (!entry.directory) this.entries.set(entry.key, { name: entry.name, size: entry.size, dataOffset, content: entry.content });
      offset += entrySpan(entry.size);
    }
    await this.handle.truncate(offset + 2 * BLOCK);
  }

  async writeBlob(digest: string, body: Readable): Promise<void> {
    const entry = this.entries.get(digest);
    if (!entry || !this.handle) throw new Error(`${this.path}: blob ${digest} is not part of the planned archive`);
    await pipeline(body, createWriteStream(this.temp, { flags: 'r+', start: entry.dataOffset }));
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
