import { posix } from 'node:path';

/** The file at the top of every bundle, and beside it, that lists its payloads and images. */
export const BUNDLE_INVENTORY = 'inventory.json';

/** Beside a bundle kept in a content store: the archive's OCI descriptor (digest, size, media type, file name). */
export const BUNDLE_DESCRIPTOR = 'descriptor.json';

/**
 * Where a project's steps write, `<workspace>/dist/<name>/<step>`: the one place that spells it. A light module
 * (no YAML, no schemas), so the Nx plugin reads its target outputs from here as `outputPaths('{workspaceRoot}', name)`.
 */
export interface OutputPaths {
  /** `dist/<name>`: every step's folder is below it. */
  root: string;
  /** A Release's collected component files. */
  collect: string;
  /** The images target's images.list and images.json (an AppImage: per version and arch below it). */
  images: string;
  /** The image list a Release's images target writes. */
  imagesList: string;
  /** A ContainerImage's OCI layout and build.json. */
  build: string;
  /** A ContainerImage's JUnit report. */
  check: string;
  /** A ContainerImage's publish report. */
  publish: string;
  /** A Release's offline installer or a Plugin's package. */
  bundle: string;
  /** The inventory beside the bundle. */
  bundleInventory: string;
  /** The bundle's descriptor, when a content store holds the archive. */
  bundleDescriptor: string;
  /** sync's report and miss lists. */
  sync: string;
  /** A Release's built release image, as an OCI layout. */
  releaseImage: string;
  /** One AppImage version's OCI layout. */
  appVersion(version: string): string;
  /** The images one AppImage version carries on one arch. */
  appImagesList(version: string, arch: string): string;
}

/** `<workspace>/dist`, the folder every project's outputs are under (one folder per project name). */
export function outputsRoot(workspaceRoot: string): string {
  return posix.join(workspaceRoot, 'dist');
}

export function outputPaths(workspaceRoot: string, name: string): OutputPaths {
  const root = posix.join(outputsRoot(workspaceRoot), name);
  const images = posix.join(root, 'images');
  const bundle = posix.join(root, 'bundle');
  return {
    root,
    collect: posix.join(root, 'collect'),
    images,
    imagesList: posix.join(images, 'images.list'),
    build: posix.join(root, 'build'),
    check: posix.join(root, 'check'),
    publish: posix.join(root, 'publish'),
    bundle,
    bundleInventory: posix.join(bundle, BUNDLE_INVENTORY),
    bundleDescriptor: posix.join(bundle, BUNDLE_DESCRIPTOR),
    sync: posix.join(root, 'sync'),
    releaseImage: posix.join(root, 'release-image'),
    appVersion: (version) => posix.join(root, version),
    appImagesList: (version, arch) => posix.join(images, version, arch, 'images.list'),
  };
}
