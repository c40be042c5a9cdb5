import type { Readable } from 'node:stream';
import type { Blob, Image, ImageOrIndex } from '../image/model';
import type { Descriptor, ManifestBlob } from '../manifest';

/**
 * Raw read access to one image at a location (a registry, an OCI layout, an archive, registry storage);
 * `readImage` turns it into the image model.
 */
export interface ImageSource {
  /** Human-readable location, e.g. `docker://host/repo:tag`. */
  readonly name: string;
  /** The store the image lives in: one per registry host, directory or archive file (also its concurrency scope). */
  readonly key: string;
  /** The repository inside a registry, so a target in the same registry can mount instead of upload. */
  readonly repository?: string;
  /** The top-level manifest digest if it can be learned cheaply (HEAD), else undefined. */
  topDigest(): Promise<string | undefined>;
  /** The top-level manifest (no argument) or a child manifest by digest. */
  manifest(digest?: string): Promise<ManifestBlob>;
  /** A blob body from `offset`; the caller verifies the digest. */
  openBlob(desc: Descriptor, offset: number): Promise<Readable>;
}

/** What an image is called inside a store. Registries and registry storage need a repository; archives keep the registry in their tags. */
export interface ImageName {
  registry?: string;
  repository?: string;
  tag?: string;
}

/**
 * A place images are written to, holding many of them: a registry host, an OCI layout, a docker archive,
 * registry storage. Blob writes receive verified streams and must store atomically.
 */
export interface ImageStore {
  readonly name: string;
  /** One per registry host, directory or file: blobs are stored once per key, and requests are limited per key. */
  readonly key: string;
  manifestDigest(at: ImageName, reference: string): Promise<string | undefined>;
  hasBlob(at: ImageName, desc: Descriptor): Promise<boolean>;
  /** Makes a blob the store already holds (for any image) present for `at` without a transfer; false when it holds none. */
  linkBlob?(at: ImageName, desc: Descriptor): Promise<boolean>;
  /** A registry's cross-repository mount. */
  mountBlob?(at: ImageName, desc: Descriptor, fromRepository: string): Promise<boolean>;
  /** Stores a verified body. A store has this or `fetchBlob`. */
  writeBlob?(at: ImageName, desc: Descriptor, body: Readable): Promise<void>;
  /** Reads `blob` itself, verifying it: a store that keeps partial reads (a content store resuming a killed run's download). */
  fetchBlob?(at: ImageName, blob: Blob, onBytes: (count: number) => void): Promise<void>;
  writeManifest(at: ImageName, blob: ManifestBlob, reference: string): Promise<void>;
  /** What the store can hold of `model`: an archive of single-platform images picks one of an index. */
  accept?(model: ImageOrIndex, platforms: readonly string[] | undefined): Promise<ImageOrIndex>;
  /** Called once with every image about to be written (children of indexes included), before any blob. */
  prepare?(images: readonly { image: Image; at: ImageName }[]): Promise<void>;
  /** Called after every manifest is written (archives finish their file here). */
  commit?(): Promise<void>;
  /** Called when writing failed, to drop partial output. */
  abort?(): Promise<void>;
}

/** One image's place in a store. */
export interface ImageTarget {
  readonly store: ImageStore;
  readonly at: ImageName;
  /** Human-readable, e.g. `docker://host/repo:tag`. */
  readonly name: string;
}
