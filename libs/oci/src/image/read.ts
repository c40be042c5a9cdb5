import { text } from 'node:stream/consumers';
import { VerifyingStream } from '../digest';
import { imageBlobs, indexChildren, type Descriptor, type ManifestBlob } from '../manifest';
import { isIndexType } from '../media-types';
import type { ImageSource } from '../location/types';
import type { ImageConfig } from './config';
import type { Blob, Image, ImageOrIndex, Layer } from './model';

/** Runs a request under a caller's limits (the copy scheduler's per-endpoint limits); by default it just runs it. */
export type RequestRunner = <T>(job: () => Promise<T>) => Promise<T>;

const direct: RequestRunner = (job) => job();

function sourceBlob(source: ImageSource, descriptor: Descriptor): Blob {
  return {
    descriptor,
    origin: { key: source.key, repository: source.repository },
    open: (offset = 0) => source.openBlob(descriptor, offset),
  };
}

/** Reads a small blob whole, verified against its descriptor. */
export async function readBlob(blob: Blob): Promise<Buffer> {
  const verifier = new VerifyingStream(blob.descriptor, `blob ${blob.descriptor.digest}`);
  (await blob.open()).pipe(verifier);
  return Buffer.from(await text(verifier));
}

/** An image over `manifest`, whose config is read lazily; layers get their diffIDs when the config is read. */
function imageOf(manifest: ManifestBlob, blob: (descriptor: Descriptor) => Blob, diffIds?: readonly string[]): Image {
  const { config, layers } = imageBlobs(manifest);
  let parsed: Promise<ImageConfig> | undefined;
  const configBlob = blob(config);
  return {
    kind: 'image',
    manifest,
    config: configBlob,
    layers: layers.map((descriptor, i): Layer => ({ ...blob(descriptor), diffId: diffIds?.[i] })),
    configJson() {
      parsed ??= readBlob(configBlob).then((bytes) => JSON.parse(bytes.toString('utf8')) as ImageConfig);
      return parsed;
    },
  };
}

/** The image or index `digest` (default: the source's own) names, read lazily: children load on demand. */
export async function readImage(
  source: ImageSource,
  options: { digest?: string; run?: RequestRunner } = {},
): Promise<ImageOrIndex> {
  const run = options.run ?? direct;
  const manifest = await run(() => source.manifest(options.digest));
  return modelOf(source, manifest, run);
}

function modelOf(source: ImageSource, manifest: ManifestBlob, run: RequestRunner): ImageOrIndex {
  if (!isIndexType(manifest.mediaType)) return imageOf(manifest, (descriptor) => sourceBlob(source, descriptor));
  return {
    kind: 'index',
    manifest,
    children: indexChildren(manifest).map((descriptor) => {
      let loaded: Promise<ImageOrIndex> | undefined;
      // Once per child: a copy plans with it, writes it and describes it.
      return {
        descriptor,
        load: () =>
          (loaded ??= run(() => source.manifest(descriptor.digest)).then((child) => modelOf(source, child, run))),
      };
    }),
  };
}
