import type { LayerBuilder } from './layer-builder';
import { platformString, type ContentStore, type Image, type Platform } from './oci';
import type { SourceNode, SourceTree } from './source-tree';

/** What every stage of one platform's build shares. */
export interface StageEnvironment {
  file: string;
  escape: string;
  context: SourceTree;
  store: ContentStore;
  layers: LayerBuilder;
  epoch: number;
  scratchDir: string;
  platform: Platform;
  buildPlatform: Platform;
  buildArgs: ReadonlyMap<string, string>;
  /** Build args some ARG declared (the rest are reported unused). */
  usedArgs: Set<string>;
  /** Global ARGs (before the first FROM) with their values. */
  globalArgs: ReadonlyMap<string, string>;
  /** A base image (`FROM x`, `COPY --from=x`) for one platform. */
  openImage(reference: string, platform: Platform): Promise<Image>;
  /** An `ADD URL` download, verified against `checksum` when given, in the content store. */
  download(url: string, checksum: string | undefined): Promise<{ digest: string; size: number; path: string }>;
  stats: { layersBuilt: number; layersCached: number };
  /** Unpacked images for `COPY --from=<image>`, by reference. */
  imageTrees: Map<string, Promise<SourceTree>>;
  imageFiles(image: Image): Promise<Map<string, SourceNode>>;
}

export interface StageResult {
  name?: string;
  image: Image;
  /** The stage's filesystem, for a later `COPY --from`. */
  tree(): Promise<SourceTree>;
}

/** TARGETPLATFORM, TARGETOS, ... as BuildKit defines them. */
export function automaticArgs(platform: Platform, buildPlatform: Platform): Map<string, string> {
  return new Map([
    ['TARGETPLATFORM', platformString(platform)],
    ['TARGETOS', platform.os],
    ['TARGETARCH', platform.architecture],
    ['TARGETVARIANT', platform.variant ?? ''],
    ['BUILDPLATFORM', platformString(buildPlatform)],
    ['BUILDOS', buildPlatform.os],
    ['BUILDARCH', buildPlatform.architecture],
    ['BUILDVARIANT', buildPlatform.variant ?? ''],
  ]);
}
