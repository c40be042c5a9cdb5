import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { forgetTemp, tempPathFor } from '@dockyard/files';
import { digestHex } from '../digest';
import type { Descriptor } from '../manifest';
import { planTar, sortTarEntries, type TarEntry } from './tar-writer';
import { DockyardError } from '@dockyard/errors';

export interface ArchiveImage {
  config: Descriptor;
  layers: readonly Descriptor[];
  /** Tags `docker load` gives the image, exactly as written here. */
  repoTags: readonly string[];
}

/** One member of a docker archive; blob members name the digest whose bytes they hold (and have no content yet). */
export interface ArchiveMember {
  entry: TarEntry;
  digest?: string;
}

/**
 * The members of a `docker load` archive (`docker save a b c`): `manifest.json` lists each image once (by config,
 * as docker does) with all its tags, `<config hex>.json` and `<layer hex>/layer.tar` appear once however many images
 * share them. Sorted and independent of the order images are given in, so the same images give the same archive.
 */
export function dockerArchiveMembers(images: readonly ArchiveImage[]): ArchiveMember[] {
  const members = new Map<string, ArchiveMember>();
  const byConfig = new Map<string, { Config: string; RepoTags: string[]; Layers: string[] }>();
  const blob = (path: string, desc: Descriptor) =>
    members.set(path, { entry: { path, type: 'file', size: desc.size }, digest: desc.digest });
  for (const { config, layers, repoTags } of images) {
    const configPath = `${digestHex(config.digest)}.json`;
    blob(configPath, config);
    const layerPaths = layers.map((layer) => {
      const hex = digestHex(layer.digest);
      members.set(`${hex}/`, { entry: { path: `${hex}/`, type: 'directory' } });
      blob(`${hex}/layer.tar`, layer);
      return `${hex}/layer.tar`;
    });
    const listed = byConfig.get(config.digest) ?? { Config: configPath, RepoTags: [], Layers: layerPaths };
    for (const tag of repoTags) if (!listed.RepoTags.includes(tag)) listed.RepoTags.push(tag);
    byConfig.set(config.digest, listed);
  }
  const manifest = [...byConfig.values()]
    .map((m) => ({ ...m, RepoTags: [...m.RepoTags].sort() }))
    .sort((a, b) => (a.Config < b.Config ? -1 : 1));
  members.set('manifest.json', {
    entry: { path: 'manifest.json', type: 'file', content: Buffer.from(JSON.stringify(manifest)) },
  });
  return sortTarEntries([...members.values()].map((m) => ({ ...m, path: m.entry.path })));
}

/**
 * Writes a `docker load` archive of many images (dockerArchiveMembers). Every size is known from the manifests, so the tar is planned up front (sorted, fixed metadata:
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
    if (
      await stat(this.path).then(
        (s) => s.isDirectory(),
        () => false,
      )
    ) {
      throw new DockyardError(
        `${this.path} is a folder; a docker archive is a file: name one inside it, e.g. ${this.path}/images.tar`,
        { code: 'DOCKER_ARCHIVE_IS_FOLDER' },
      );
    }
    const members = dockerArchiveMembers(images);
    const plan = planTar(members.map((m) => m.entry));
    plan.entries.forEach((planned, i) => {
      const digest = members[i]!.digest;
      if (digest) this.offsets.set(digest, planned.dataOffset);
    });
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
    if (offset === undefined || !this.handle)
      throw new DockyardError(`${this.path}: blob ${digest} is not part of the planned archive`, {
        code: 'BLOB_NOT_PLANNED',
      });
    await pipeline(body, createWriteStream(this.temp, { flags: 'r+', start: offset }));
  }

  async commit(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await rename(this.temp, this.path);
    forgetTemp(this.temp);
  }

  async abort(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.temp, { force: true });
    forgetTemp(this.temp);
  }
}
