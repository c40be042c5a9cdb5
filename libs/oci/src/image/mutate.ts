import { Readable } from 'node:stream';
import { sha256Digest } from '../digest';
import { manifestBlob, type Descriptor, type Platform } from '../manifest';
import { isImageManifestType, MediaType } from '../media-types';
import { configPlatform, type HistoryEntry, type ImageConfig } from './config';
import type { Blob, Image, ImageIndex, Layer } from './model';
import { DockyardError } from '@dockyard/errors';

/**
 * Deriving images from images, as go-containerregistry's `mutate` does: every function returns a new value with
 * a new config and manifest (and so new digests); blobs that did not change are shared, never copied.
 */

/** A blob held in memory: configs and manifests made here, small files. */
export function bufferBlob(bytes: Buffer, mediaType: string): Blob {
  const descriptor: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
  return {
    descriptor,
    origin: { key: 'memory:' },
    open: async (offset = 0) => Readable.from([bytes.subarray(offset)]),
  };
}

interface ManifestJson {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

function configTypeFor(manifestType: string): string {
  return manifestType === MediaType.dockerManifest ? MediaType.dockerConfig : MediaType.ociConfig;
}

/** An image made of `config` and `layers`, in the manifest format given (OCI unless told otherwise). */
export function imageFrom(
  config: ImageConfig,
  layers: readonly Layer[],
  options: { mediaType?: string; annotations?: Record<string, string> } = {},
): Image {
  const mediaType = options.mediaType ?? MediaType.ociManifest;
  if (!isImageManifestType(mediaType))
    throw new DockyardError(`${mediaType} is not an image manifest type`, { code: 'MEDIA_TYPE_INVALID' });
  const configBlob = bufferBlob(Buffer.from(JSON.stringify(config)), configTypeFor(mediaType));
  const json: ManifestJson = {
    schemaVersion: 2,
    mediaType,
    config: configBlob.descriptor,
    layers: layers.map((layer) => layer.descriptor),
    ...(options.annotations && Object.keys(options.annotations).length ? { annotations: options.annotations } : {}),
  };
  return {
    kind: 'image',
    manifest: manifestBlob(Buffer.from(JSON.stringify(json)), mediaType),
    config: configBlob,
    layers,
    configJson: async () => config,
  };
}

/** An image with no layers (Dockerfile's `FROM scratch`). */
export function scratchImage(platform: Platform, options: { created?: string } = {}): Image {
  return imageFrom(
    {
      ...(options.created ? { created: options.created } : {}),
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: {},
      rootfs: { type: 'layers', diff_ids: [] },
      history: [],
    },
    [],
  );
}

export interface Addition {
  /** Its diffID must be known: the config lists it. */
  layer: Layer;
  history?: HistoryEntry;
}

/** `image` with `additions` on top, their diffIDs and history recorded in the config. */
export async function appendLayers(image: Image, additions: readonly Addition[]): Promise<Image> {
  const config = structuredClone(await image.configJson());
  for (const { layer } of additions) {
    if (!layer.diffId)
      throw new DockyardError(`layer ${layer.descriptor.digest} has no diffID; an image config must list it`, {
        code: 'LAYER_DIFFID_MISSING',
      });
  }
  config.rootfs = { type: 'layers', diff_ids: [...config.rootfs.diff_ids, ...additions.map((a) => a.layer.diffId!)] };
  const history = additions.map((a) => a.history ?? {});
  if (config.history || additions.some((a) => a.history)) config.history = [...(config.history ?? []), ...history];
  return imageFrom(config, [...image.layers, ...additions.map((a) => a.layer)], {
    mediaType: image.manifest.mediaType,
    annotations: manifestAnnotations(image),
  });
}

/** `image` with its config changed by `change` (which receives a copy). */
export async function withConfig(image: Image, change: (config: ImageConfig) => ImageConfig): Promise<Image> {
  const config = change(structuredClone(await image.configJson()));
  return imageFrom(config, image.layers, {
    mediaType: image.manifest.mediaType,
    annotations: manifestAnnotations(image),
  });
}

function manifestAnnotations(image: Image): Record<string, string> | undefined {
  return (JSON.parse(image.manifest.bytes.toString('utf8')) as { annotations?: Record<string, string> }).annotations;
}

/** One OCI index over per-platform images, each child's platform taken from its config. */
export async function buildIndex(images: readonly Image[], annotations?: Record<string, string>): Promise<ImageIndex> {
  const children = await Promise.all(
    images.map(async (image) => ({
      descriptor: {
        mediaType: image.manifest.mediaType,
        digest: image.manifest.digest,
        size: image.manifest.bytes.length,
        platform: configPlatform(await image.configJson()),
      },
      image,
    })),
  );
  const json = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: children.map((c) => c.descriptor),
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
  return {
    kind: 'index',
    manifest: manifestBlob(Buffer.from(JSON.stringify(json)), MediaType.ociIndex),
    children: children.map(({ descriptor, image }) => ({ descriptor, load: async () => image })),
  };
}
