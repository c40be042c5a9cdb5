import type { Readable } from 'node:stream';
import type { Descriptor, ManifestBlob } from '../manifest';
import type { ImageConfig } from './config';

/** Where a blob can be read from: the store it lives in (its key) and, in a registry, its repository (a mount source). */
export interface BlobOrigin {
  key: string;
  repository?: string;
}

/** Content addressed by its descriptor, with a way to read it (from `offset`, for resumed transfers). */
export interface Blob {
  readonly descriptor: Descriptor;
  readonly origin: BlobOrigin;
  open(offset?: number): Promise<Readable>;
}

/** A layer as stored (compressed or not) and, when known, the digest of its uncompressed tar. */
export interface Layer extends Blob {
  readonly diffId?: string;
}

/** One platform's image: its manifest exactly as stored, its config blob and its layers, in order. */
export interface Image {
  readonly kind: 'image';
  readonly manifest: ManifestBlob;
  readonly config: Blob;
  readonly layers: readonly Layer[];
  /** The parsed config (read once, on first use). */
  configJson(): Promise<ImageConfig>;
}

export interface IndexChild {
  readonly descriptor: Descriptor;
  load(): Promise<Image | ImageIndex>;
}

/** A multi-platform index: its manifest exactly as stored and its children, each with its platform. */
export interface ImageIndex {
  readonly kind: 'index';
  readonly manifest: ManifestBlob;
  readonly children: readonly IndexChild[];
}

export type ImageOrIndex = Image | ImageIndex;
