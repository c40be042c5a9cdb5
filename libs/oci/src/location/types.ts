import type { Readable } from 'node:stream';
import type { Descriptor, ManifestBlob } from '../manifest';

/** Where an image is read from: a registry, an OCI layout, an archive, registry storage. */
export interface ImageSource {
  /** Human-readable location, e.g. `docker://host/repo:tag`. */
  readonly name: string;
  /** Concurrency-limit key: one per registry host or directory. */
  readonly endpointKey: string;
  /** Set for registries, so a target in the same registry can mount instead of upload. */
  readonly mountFrom?: { storeKey: string; repository: string };
  /** The top-level manifest digest if it can be learned cheaply (HEAD), else undefined. */
  topDigest(): Promise<string | undefined>;
  /** The top-level manifest (no argument) or a child manifest by digest. */
  manifest(digest?: string): Promise<ManifestBlob>;
  /** A blob body from `offset`; the caller verifies the digest. */
  openBlob(desc: Descriptor, offset: number): Promise<Readable>;
}

/** Where an image is written. Blob writes receive verified streams and must store atomically. */
export interface ImageTarget {
  readonly name: string;
  readonly endpointKey: string;
  /** Scope inside which a blob is stored once (a registry host, a directory). */
  readonly storeKey: string;
  /** Repository inside the store; blobs of another repository may be mounted. */
  readonly repository: string;
  /** The tag to write; undefined writes by digest only. */
  readonly tag?: string;
  /** Only one platform image per target (docker-archive): indexes are resolved to one child. */
  readonly singleImage?: boolean;
  manifestDigest(reference: string): Promise<string | undefined>;
  hasBlob(desc: Descriptor): Promise<boolean>;
  mountBlob?(desc: Descriptor, fromRepository: string): Promise<boolean>;
  writeBlob(desc: Descriptor, body: Readable): Promise<void>;
  writeManifest(blob: ManifestBlob, reference: string): Promise<void>;
  /** Called once with the manifests (children first) before any blob is written. */
  prepare?(manifests: ManifestBlob[]): Promise<void>;
  /** Called after the top manifest is written (archives finish their file here). */
  commit?(): Promise<void>;
  /** Called when the copy failed, to drop partial output. */
  abort?(): Promise<void>;
}
