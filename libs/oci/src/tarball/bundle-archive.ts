import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '@dockyard/files';
import { compressionOf, decompressed } from './compression';
import { archiveReadError, bundleFileCompression } from './damaged-archive';
import type { Descriptor } from '../manifest';
import type { ArchiveLayout } from './tar-image-store';
import { indexTar, unsafeMemberReason, type TarMember } from './tar-reader';
import { DockyardError } from '@dockyard/errors';
import { BUNDLE_INVENTORY } from '@dockyard/project-spec/output-paths';

export { BUNDLE_INVENTORY } from '@dockyard/project-spec/output-paths';

/** A bundle file as one blob (an OCI artifact's layer, a content-store entry): media type by its compression, its name as title. */
export function bundleFileDescriptor(file: string, digest: string, size: number): Descriptor {
  const mediaType =
    file.endsWith('.tar.gz') || file.endsWith('.tgz')
      ? 'application/vnd.dockyard.bundle.layer.v1.tar+gzip'
      : file.endsWith('.tar.zst')
        ? 'application/vnd.dockyard.bundle.layer.v1.tar+zstd'
        : 'application/vnd.dockyard.bundle.layer.v1.tar';
  return { mediaType, digest, size, annotations: { 'org.opencontainers.image.title': basename(file) } };
}

/** What a reader needs of a bundle's inventory: the payloads, their layouts, and which payload holds each image. */
export interface BundleContents {
  payloads: { file: string; format: ArchiveLayout }[];
  images: { name: string; payload: string }[];
}

/** A plain tar on disk, indexed: members are read at their offsets, never extracted. */
export class TarFile {
  constructor(
    readonly path: string,
    readonly members: Map<string, TarMember>,
  ) {}

  read(member: TarMember, offset = 0): Readable {
    if (offset >= member.size) return createReadStream(this.path, { start: 0, end: -1 });
    return createReadStream(this.path, {
      start: member.offset + offset,
      end: member.offset + member.size - 1,
      highWaterMark: 1 << 20,
    });
  }

  async readAll(member: TarMember): Promise<Buffer> {
    return buffer(this.read(member));
  }
}

/** A plain copy of a compressed tar, so it can be read at offsets; removed when the process exits (sources are never closed). */
async function plainCopy(input: Readable, label: string): Promise<string> {
  const temp = tempPathFor(join(tmpdir(), `dockyard-${label}`));
  process.once('exit', () => rmSync(temp, { force: true }));
  await pipeline(input, createWriteStream(temp));
  return temp;
}

/** Indexes a tar, refusing it whole when any member could escape an extraction folder or is not a file, folder or link. */
async function indexed(path: string, start?: number, end?: number): Promise<TarFile> {
  const members = await indexTar(path, start, end);
  for (const member of members.values()) {
    const reason = unsafeMemberReason(member);
    if (reason)
      throw new DockyardError(`entry ${member.name} ${reason}; refusing to read this archive`, {
        code: 'ARCHIVE_UNSAFE',
      });
  }
  return new TarFile(path, members);
}

/**
 * A bundle read in place: a `.tar` bundle and the `.tar` payloads in it are indexed where they lie; a compressed
 * bundle or payload is decompressed once into a temporary plain copy first (compressed data has no offsets).
 */
export class BundleArchive {
  private opened: Promise<{ outer: TarFile; top: string; contents: BundleContents }> | undefined;
  private readonly payloads = new Map<string, Promise<TarFile>>();

  constructor(readonly file: string) {}

  private fail(err: unknown): never {
    const problem = archiveReadError(this.file, err);
    if (problem !== err) throw problem;
    throw new DockyardError(`${this.file}: ${(err as Error).message.replace(`${this.file}: `, '')}`, {
      code: 'BUNDLE_UNREADABLE',
      cause: err,
    });
  }

  private open() {
    this.opened ??= (async () => {
      const compression = await bundleFileCompression(this.file);
      const plain =
        compression === 'none'
          ? this.file
          : await plainCopy(decompressed(createReadStream(this.file), compression), basename(this.file));
      const outer = await indexed(plain);
      const first = outer.members.values().next().value as TarMember | undefined;
      const top = first?.type === 'directory' ? first.name.replace(/\/?$/, '/') : '';
      const inventory = outer.members.get(`${top}${BUNDLE_INVENTORY}`);
      if (!inventory)
        throw new DockyardError(`no ${BUNDLE_INVENTORY} at the start; it was not written by dockyard bundle`, {
          code: 'BUNDLE_INVENTORY_MISSING',
        });
      const contents = JSON.parse((await outer.readAll(inventory)).toString('utf8')) as BundleContents;
      if (!Array.isArray(contents.payloads) || !Array.isArray(contents.images))
        throw new DockyardError(`${BUNDLE_INVENTORY} lists no payloads and images`, {
          code: 'BUNDLE_INVENTORY_INVALID',
        });
      return { outer, top, contents };
    })().catch((err) => this.fail(err));
    return this.opened;
  }

  async contents(): Promise<BundleContents> {
    return (await this.open()).contents;
  }

  /** The payload holding `name`, with its layout. */
  async payloadOf(name: string): Promise<{ file: string; layout: ArchiveLayout; tar: TarFile }> {
    const { contents } = await this.open();
    const image = contents.images.find((i) => i.name === name);
    const payload = image && contents.payloads.find((p) => p.file === image.payload);
    if (!payload)
      throw new DockyardError(
        `${this.file}: no image ${name} (it holds ${contents.images.map((i) => i.name).join(', ') || 'none'})`,
        { code: 'IMAGE_NOT_FOUND' },
      );
    return { file: payload.file, layout: payload.format, tar: await this.payload(payload.file) };
  }

  private payload(file: string): Promise<TarFile> {
    let tar = this.payloads.get(file);
    if (!tar) {
      tar = (async () => {
        const { outer, top } = await this.open();
        const member = outer.members.get(`${top}${file}`);
        if (!member)
          throw new DockyardError(`${file} is listed in ${BUNDLE_INVENTORY} but missing from the bundle`, {
            code: 'BUNDLE_PAYLOAD_MISSING',
          });
        if (compressionOf(file) === 'none') return indexed(outer.path, member.offset, member.offset + member.size);
        return indexed(await plainCopy(decompressed(outer.read(member), compressionOf(file)), basename(file)));
      })().catch((err) => this.fail(err));
      this.payloads.set(file, tar);
    }
    return tar;
  }
}
