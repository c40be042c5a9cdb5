import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestingStream, DigestMismatchError, SizeMismatchError } from '../digest';
import type { Blob } from '../image/model';
import { OciLayout } from '../layout/oci-layout';
import type { Descriptor } from '../manifest';
import { forgetTemp, linkFileAtomic, makeDirectory, processIsAlive, sameFile, tempPathFor } from '@dockyard/files';
import { DockyardError } from '@dockyard/errors';
import { sharedStoreAt, type SharedBlobStore } from './shared-store';
import { isSharedStoreLocation } from './store-location';

/**
 * The one content-addressed store on disk that bundles, builds and downloads share: an OCI image layout
 * (so it is also an `oci:` location), blobs named by digest, every blob verified on the way in and renamed
 * into place whole. A download killed half-way leaves `<hex>.partial.<pid>`, which the next fetch resumes.
 */
export class ContentStore {
  readonly layout: OciLayout;
  readonly key: string;
  private readonly fetching = new Map<string, Promise<Blob>>();

  /** `shared`: a second tier every machine reaches (see shared-store.ts), fetched from and pushed to. */
  constructor(
    readonly dir: string,
    readonly shared?: SharedBlobStore,
  ) {
    this.layout = new OciLayout(dir);
    this.key = `dir:${dir}`;
  }

  /**
   * `$DOCKYARD_STORE`, else `$XDG_CACHE_HOME/dockyard/store`, else `~/.cache/dockyard/store`. A `$DOCKYARD_STORE`
   * of `docker://HOST/REPOSITORY` or `s3://BUCKET/PREFIX` is a shared tier behind the default folder.
   */
  static default(env: NodeJS.ProcessEnv = process.env): ContentStore {
    const named = env.DOCKYARD_STORE;
    const local = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dockyard', 'store');
    if (isSharedStoreLocation(named)) return new ContentStore(local, sharedStoreAt(named, env));
    return new ContentStore(named || local);
  }

  /** The folder `dir` as the local store, behind it the shared tier `$DOCKYARD_STORE` names when it names one. */
  static at(dir: string, env: NodeJS.ProcessEnv = process.env): ContentStore {
    const named = env.DOCKYARD_STORE;
    return new ContentStore(dir, isSharedStoreLocation(named) ? sharedStoreAt(named, env) : undefined);
  }

  path(digest: string): string {
    return this.layout.blobPath(digest);
  }

  has(digest: string): Promise<boolean> {
    return this.layout.hasBlob(digest);
  }

  /** A blob of this store (it must be present). */
  blob(descriptor: Descriptor): Blob {
    const path = this.path(descriptor.digest);
    return {
      descriptor,
      origin: { key: this.key },
      open: async (offset = 0) => createReadStream(path, { start: offset }),
    };
  }

  /** Makes `blob` present here, resuming a partial download of an earlier run; returns the stored blob. `onBytes` counts what arrives. */
  fetch(blob: Blob, onBytes?: (count: number) => void): Promise<Blob> {
    const { digest } = blob.descriptor;
    let running = this.fetching.get(digest);
    if (!running) {
      running = this.download(blob, onBytes).finally(() => this.fetching.delete(digest));
      this.fetching.set(digest, running);
    }
    return running;
  }

  /** One download per blob at a time: two writers of one partial file would interleave. */
  private async download(blob: Blob, onBytes?: (count: number) => void, useShared = true): Promise<Blob> {
    const { descriptor } = blob;
    if (await this.has(descriptor.digest)) return this.blob(descriptor);
    const final = this.path(descriptor.digest);
    await this.prepareDir();
    const partial = await this.claimPartial(final);
    const resumeAt = await stat(partial).then(
      (s) => Math.min(s.size, descriptor.size),
      () => 0,
    );
    const hash = createHash('sha256');
    if (resumeAt > 0)
      for await (const chunk of createReadStream(partial, { end: resumeAt - 1 })) hash.update(chunk as Buffer);
    const digesting = new DigestingStream({ hash, size: resumeAt });
    const sharedBody = useShared ? await this.shared?.open(descriptor, resumeAt) : undefined;
    const body = sharedBody ?? (await blob.open(resumeAt));
    if (onBytes) body.on('data', (chunk: Buffer) => onBytes(chunk.length));
    await pipeline(body, digesting, createWriteStream(partial, { flags: resumeAt > 0 ? 'r+' : 'w', start: resumeAt }));
    const what = `blob ${descriptor.digest} from ${sharedBody ? this.shared!.key : blob.origin.key}`;
    const actual = digesting.digest();
    if (digesting.size !== descriptor.size || actual !== descriptor.digest) {
      await rm(partial, { force: true });
      // A damaged copy in the shared tier is never used: the blob comes from where it was found instead.
      if (sharedBody) return this.download(blob, onBytes, false);
      throw digesting.size !== descriptor.size
        ? new SizeMismatchError(descriptor.size, digesting.size, what)
        : new DigestMismatchError(descriptor.digest, actual, what);
    }
    await rename(partial, final);
    if (!sharedBody) await this.shared?.put(descriptor, final);
    return this.blob(descriptor);
  }

  /**
   * Stores a stream whose digest is not known yet (a layer being built), after passing it through `stages`
   * (e.g. a diffID hasher and a compressor); returns its descriptor.
   */
  async ingest(body: Readable, mediaType: string, stages: NodeJS.ReadWriteStream[] = []): Promise<Descriptor> {
    const temp = tempPathFor(join(this.dir, 'blobs', 'sha256', 'ingest'));
    await this.prepareDir();
    const digesting = new DigestingStream();
    try {
      await pipeline([body, ...stages, digesting, createWriteStream(temp)]);
      const descriptor: Descriptor = { mediaType, digest: digesting.digest(), size: digesting.size };
      await rename(temp, this.path(descriptor.digest));
      forgetTemp(temp);
      await this.shared?.put(descriptor, this.path(descriptor.digest));
      return descriptor;
    } catch (err) {
      await rm(temp, { force: true });
      forgetTemp(temp);
      throw err;
    }
  }

  /**
   * Takes in `file`, which this process wrote and hashed as `descriptor` (a finished bundle, a built layout's blob):
   * hard-linked, so the store costs no second copy (copied across file systems), then pushed to the shared tier.
   * When the store already held the blob, `file` becomes a link to the store's copy: afterwards they are one file.
   */
  async adopt(file: string, descriptor: Descriptor): Promise<void> {
    await this.prepareDir();
    const stored = this.path(descriptor.digest);
    if (!(await this.has(descriptor.digest))) await linkFileAtomic(file, stored);
    else if (!(await sameFile(file, stored))) await linkFileAtomic(stored, file);
    await this.shared?.put(descriptor, stored);
  }

  /**
   * Puts the blob `descriptor` names at `path` as a link to the store's copy, fetching it by digest (from the shared
   * tier, verified) when the store lacks it; `missing` is the error when neither holds it.
   */
  async placeAt(descriptor: Descriptor, path: string, missing: () => Error): Promise<void> {
    await this.fetch({ descriptor, origin: { key: this.key }, open: () => Promise.reject(missing()) });
    await linkFileAtomic(this.path(descriptor.digest), path);
  }

  private async prepareDir(): Promise<void> {
    // makeDirectory, not mkdir's recursive mode, which spins at full CPU on a path like /proc/x.
    await makeDirectory(join(this.dir, 'blobs', 'sha256')).catch((err: NodeJS.ErrnoException) => {
      throw new DockyardError(
        `${this.dir}: cannot create the content store here (${err.code ?? err.message}); choose a folder you can write to`,
        { code: 'STORE_NOT_WRITABLE', cause: err },
      );
    });
    await this.layout.ensureLayoutFile();
  }

  /** A partial download left by a process that is gone becomes ours; else we start a new one. */
  private async claimPartial(final: string): Promise<string> {
    const ours = `${final}.partial.${process.pid}`;
    const prefix = `${basename(final)}.partial.`;
    const names = await readdir(dirname(final)).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length));
      if (pid === process.pid || !Number.isInteger(pid) || processIsAlive(pid)) continue;
      if (
        await rename(join(dirname(final), name), ours).then(
          () => true,
          () => false,
        )
      )
        return ours;
    }
    return ours;
  }
}
