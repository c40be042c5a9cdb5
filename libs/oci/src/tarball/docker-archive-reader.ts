import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sha256Digest } from '../digest';
import { manifestBlob, type Descriptor, type ManifestBlob } from '../manifest';
import { MediaType } from '../media-types';
import { indexTar, type TarMember } from './tar-reader';
import { DockyardError } from '@dockyard/errors';

interface ArchiveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * Reads an image from a `docker save` archive as a Docker schema2 manifest built from the
 * archive's files (layers are hashed as stored, compressed or not).
 */
export class DockerArchiveReader {
  private entriesPromise: Promise<Map<string, TarMember>> | undefined;
  private imagePromise: Promise<{ manifest: ManifestBlob; files: Map<string, TarMember> }> | undefined;

  constructor(
    readonly path: string,
    readonly ref: string | undefined,
  ) {}

  private entries(): Promise<Map<string, TarMember>> {
    this.entriesPromise ??= indexTar(this.path);
    return this.entriesPromise;
  }

  private async readEntry(entry: TarMember): Promise<Buffer> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(entry.size);
      await handle.read(buffer, 0, entry.size, entry.offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  private async hashEntry(entry: TarMember): Promise<{ digest: string; gzip: boolean }> {
    const hash = createHash('sha256');
    let first: Buffer | undefined;
    for await (const chunk of this.openEntry(entry, 0)) {
      first ??= chunk as Buffer;
      hash.update(chunk as Buffer);
    }
    return { digest: `sha256:${hash.digest('hex')}`, gzip: first?.[0] === 0x1f && first[1] === 0x8b };
  }

  private openEntry(entry: TarMember, offset: number): Readable {
    if (entry.size === 0) return createReadStream(this.path, { start: 0, end: -1 });
    return createReadStream(this.path, { start: entry.offset + offset, end: entry.offset + entry.size - 1 });
  }

  image(): Promise<{ manifest: ManifestBlob; files: Map<string, TarMember> }> {
    this.imagePromise ??= this.load();
    return this.imagePromise;
  }

  private async load(): Promise<{ manifest: ManifestBlob; files: Map<string, TarMember> }> {
    const entries = await this.entries();
    const manifestEntry = entries.get('manifest.json');
    if (!manifestEntry)
      throw new DockyardError(`${this.path}: no manifest.json; is this a docker save archive?`, {
        code: 'DOCKER_ARCHIVE_INVALID',
      });
    const list = JSON.parse((await this.readEntry(manifestEntry)).toString('utf8')) as ArchiveManifestEntry[];
    const chosen = this.ref ? list.find((m) => m.RepoTags?.includes(this.ref!)) : list[0];
    if (!chosen) {
      const tags = list.flatMap((m) => m.RepoTags ?? []);
      throw new DockyardError(
        `${this.path}: no image tagged "${this.ref}" (the archive has ${tags.join(', ') || 'no tags'})`,
        { code: 'IMAGE_NOT_FOUND' },
      );
    }
    const need = (name: string) => {
      const entry = entries.get(name);
      if (!entry)
        throw new DockyardError(`${this.path}: manifest.json names ${name}, which is not in the archive`, {
          code: 'DOCKER_ARCHIVE_INVALID',
        });
      return entry;
    };
    const configBytes = await this.readEntry(need(chosen.Config));
    const files = new Map<string, TarMember>();
    const config: Descriptor = {
      mediaType: MediaType.dockerConfig,
      digest: sha256Digest(configBytes),
      size: configBytes.length,
    };
    files.set(config.digest, need(chosen.Config));
    const layers: Descriptor[] = [];
    for (const name of chosen.Layers) {
      const entry = need(name);
      const { digest, gzip } = await this.hashEntry(entry);
      files.set(digest, entry);
      layers.push({ mediaType: gzip ? MediaType.dockerLayerGzip : MediaType.dockerLayerTar, digest, size: entry.size });
    }
    const json = { schemaVersion: 2, mediaType: MediaType.dockerManifest, config, layers };
    return { manifest: manifestBlob(Buffer.from(JSON.stringify(json)), MediaType.dockerManifest), files };
  }

  async openBlob(digest: string, offset: number): Promise<Readable> {
    const { files } = await this.image();
    const entry = files.get(digest);
    if (!entry)
      throw new DockyardError(`${this.path}: blob ${digest} is not in the archive`, { code: 'BLOB_NOT_FOUND' });
    return this.openEntry(entry, offset);
  }
}
