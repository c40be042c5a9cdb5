import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { writeFileAtomic } from '@dockyard/files';
import { StoredGzip } from './stored-gzip';
import { MediaType, sortTarEntries, tarStream, type ContentStore, type Layer, type TarEntry } from './oci';

/**
 * How layers are gzipped, fixed because it decides every digest (see bench/README.md, "build", for the figures):
 * zlib at GZIP_LEVEL, except a layer whose bytes are mostly files in a compressed format already (a sealos
 * registry/ of gzip blobs), which gets stored deflate blocks: deflating those gains ~0.01% for seconds per 100 MB.
 */
export const GZIP_LEVEL = 6;
/** Share of a layer's file bytes that must be compressed already for it to be stored rather than deflated. */
const STORED_SHARE = 0.9;

export type LayerCompression = { level: number } | 'stored';

export function compressionFor(files: readonly LayerFile[]): LayerCompression {
  let total = 0;
  let compressed = 0;
  for (const { entry, compressed: isCompressed } of files) {
    const size = entry.size ?? 0;
    total += size;
    if (isCompressed) compressed += size;
  }
  return total > 0 && compressed / total >= STORED_SHARE ? 'stored' : { level: GZIP_LEVEL };
}

/** One member of a layer plus what identifies its content (a sha256, or the archive member it comes from). */
export interface LayerFile {
  entry: TarEntry;
  contentId?: string;
  /** The content id once the layer has read the file (context files are hashed as they are written). */
  contentIdAfterRead?: () => Promise<string | undefined>;
  /** Identifies this version of the file on this machine without reading it. */
  stamp?: string;
  /** The content is in a compressed format already. */
  compressed?: boolean;
}

interface CachedLayer {
  digest: string;
  size: number;
  diffId: string;
}

/**
 * A layer cache key: the exact list of members (path, type, mode, owner, time, link) and what identifies each
 * file's content — its digest (the content key, valid anywhere) or its stamp (the stamp key, valid on this
 * machine, found without reading a byte).
 */
export function layerKey(
  files: readonly LayerFile[],
  identity: (file: LayerFile) => string | undefined = (f) => f.contentId,
): string {
  const hash = createHash('sha256');
  const compression = compressionFor(files);
  hash.update(`dockyard-layer-v2 gzip=${compression === 'stored' ? 'stored' : compression.level}\n`);
  for (const file of sortTarEntries(files.map((f) => ({ ...f, path: f.entry.path })))) {
    const { entry } = file;
    hash.update(
      JSON.stringify([
        entry.path,
        entry.type,
        entry.mode,
        entry.uid ?? 0,
        entry.gid ?? 0,
        entry.mtime ?? 0,
        entry.size ?? 0,
        entry.linkpath ?? '',
        identity(file) ?? '',
      ]) + '\n',
    );
  }
  return hash.digest('hex');
}

const fileMembers = (files: readonly LayerFile[]) => files.filter((f) => f.entry.type === 'file');

const BATCH = 256 << 10;

/**
 * Hashes the tar (its digest is the diffID) and hands it on in chunks of at least 256 KiB: a layer of many small
 * files would otherwise reach zlib as thousands of tiny writes.
 */
function diffIdTap(): { stream: Transform; diffId: () => string } {
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let length = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      if (chunk.length >= BATCH) {
        // Large file data passes through uncopied, after whatever small pieces came before it.
        if (length) this.push(Buffer.concat(pending, length));
        pending = [];
        length = 0;
        return callback(null, chunk);
      }
      pending.push(chunk);
      length += chunk.length;
      if (length < BATCH) return callback();
      const out = Buffer.concat(pending, length);
      pending = [];
      length = 0;
      callback(null, out);
    },
    flush(callback) {
      callback(null, length ? Buffer.concat(pending, length) : undefined);
    },
  });
  return { stream, diffId: () => `sha256:${hash.digest('hex')}` };
}

/**
 * Builds (or finds in the layer cache) the gzip layer holding `files`: entries sorted by path, written by the
 * shared tar writer, gzip at GZIP_LEVEL, stored in the content store. The cache record maps the member list to
 * the layer's digest, size and diffID, so an unchanged COPY costs one small file read.
 */
export class LayerBuilder {
  /** Layers being built now, so platforms building the same layer in parallel build it once. */
  private readonly building = new Map<string, Promise<CachedLayer>>();

  constructor(readonly store: ContentStore) {}

  private recordPath(key: string): string {
    return join(this.store.dir, 'dockyard-build-cache', 'layers', `${key}.json`);
  }

  private async lookup(key: string | undefined): Promise<CachedLayer | undefined> {
    if (!key) return undefined;
    const record = await readFile(this.recordPath(key), 'utf8').then(
      (t) => JSON.parse(t) as CachedLayer,
      () => undefined,
    );
    return record && (await this.store.has(record.digest)) ? record : undefined;
  }

  async build(files: readonly LayerFile[]): Promise<{ layer: Layer; cached: boolean }> {
    const stampKey = layerKey(files, (f) => f.stamp ?? f.contentId);
    const contentKey = fileMembers(files).every((f) => f.contentId) ? layerKey(files) : undefined;
    const record = (await this.lookup(stampKey)) ?? (await this.lookup(contentKey));
    if (record) {
      await this.remember([stampKey, contentKey], record);
      return { layer: this.layer(record), cached: true };
    }
    const key = contentKey ?? stampKey;
    const inFlight = this.building.get(key);
    if (inFlight) return { layer: this.layer(await inFlight), cached: true };
    const building = this.write(files, stampKey);
    this.building.set(key, building);
    try {
      return { layer: this.layer(await building), cached: false };
    } finally {
      this.building.delete(key);
    }
  }

  private async remember(keys: (string | undefined)[], record: CachedLayer): Promise<void> {
    for (const key of new Set(keys)) {
      if (key && !(await this.lookup(key))) await writeFileAtomic(this.recordPath(key), JSON.stringify(record));
    }
  }

  private async write(files: readonly LayerFile[], stampKey: string): Promise<CachedLayer> {
    const tap = diffIdTap();
    const tar = tarStream(sortTarEntries(files.map((f) => f.entry)));
    tar.on('error', (err) => tap.stream.destroy(err));
    const compression = compressionFor(files);
    const gzip = compression === 'stored' ? new StoredGzip() : createGzip({ level: compression.level });
    tap.stream.on('error', (err) => gzip.destroy(err));
    tar.pipe(tap.stream).pipe(gzip);
    const descriptor = await this.store.ingest(gzip, MediaType.ociLayerGzip);
    const built: CachedLayer = { digest: descriptor.digest, size: descriptor.size, diffId: tap.diffId() };
    // Reading the files made their digests known: record the content key too, for other clones and touched files.
    const read = await Promise.all(
      files.map(async (f) => ({ ...f, contentId: f.contentId ?? (await f.contentIdAfterRead?.()) })),
    );
    await this.remember([stampKey, fileMembers(read).every((f) => f.contentId) ? layerKey(read) : undefined], built);
    return built;
  }

  private layer(record: CachedLayer): Layer {
    return {
      ...this.store.blob({ mediaType: MediaType.ociLayerGzip, digest: record.digest, size: record.size }),
      diffId: record.diffId,
    };
  }
}
