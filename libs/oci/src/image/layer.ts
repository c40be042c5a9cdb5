import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { DigestingStream } from '../digest';
import { MediaType } from '../media-types';
import type { ContentStore } from '../store/content-store';
import type { Layer } from './model';

export interface LayerOptions {
  /** gzip (the default, what every runtime reads) or an uncompressed tar. */
  compression?: 'gzip' | 'none';
  /** zlib level; fixed, so the same tar always gives the same layer digest. */
  level?: number;
  /** OCI (default) or Docker media types. */
  format?: 'oci' | 'docker';
}

export const DEFAULT_GZIP_LEVEL = 6;

function layerMediaType(options: LayerOptions): string {
  const gzip = (options.compression ?? 'gzip') === 'gzip';
  if (options.format === 'docker') return gzip ? MediaType.dockerLayerGzip : MediaType.dockerLayerTar;
  return gzip ? MediaType.ociLayerGzip : MediaType.ociLayerTar;
}

/** Stores a layer tar (compressed as asked) in the content store; its diffID is the digest of the tar itself. */
export async function storeLayer(store: ContentStore, tar: Readable, options: LayerOptions = {}): Promise<Layer> {
  const diff = new DigestingStream();
  const gzip = (options.compression ?? 'gzip') === 'gzip';
  const descriptor = await store.ingest(tar, layerMediaType(options), gzip ? [diff, createGzip({ level: options.level ?? DEFAULT_GZIP_LEVEL })] : [diff]);
  return { ...store.blob(descriptor), diffId: diff.digest() };
}
