import { posix } from 'node:path';

/** The file at the top of every bundle, and beside it, that lists its payloads and images. */
export const BUNDLE_INVENTORY = 'inventory.json';

/** Beside a bundle kept in a content store: the archive's OCI descriptor (digest, size, media type, file name). */
export const BUNDLE_DESCRIPTOR = 'descriptor.json';

/** An OCI image layout's marker file and its index, at the top of every layout a build writes. */
export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_INDEX_FILE = 'index.json';

/** Beside an AppImage version's or a ContainerImage's OCI layout: what the build made (tags, digests). */
export const BUILD_RECORD = 'build.json';

/** Beside a Release's image layout: the reference and digest it was built as. */
export const RELEASE_IMAGE_RECORD = 'release-image.json';

/** The small files of an OCI layout (everything but blobs/). */
const layoutFiles = (dir: string) => [posix.join(dir, OCI_INDEX_FILE), posix.join(dir, OCI_LAYOUT_FILE)];

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
  /** A ContainerImage's OCI layout (`oci/`) and build.json. */
  build: string;
  /** The ContainerImage's OCI layout in `build`. */
  buildLayout: string;
  /**
   * The small files of `build` (build.json, the layout's index.json and oci-layout), without the blobs: what a cache
   * keeps when a shared content store holds every blob.
   */
  buildRecords: string[];
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
  /** The small files of `releaseImage` (index.json, oci-layout, release-image.json), without the blobs. */
  releaseImageRecords: string[];
  /** One AppImage version's OCI layout. */
  appVersion(version: string): string;
  /**
   * The small files of one AppImage version's folder, without the blobs: the layout's index.json and oci-layout,
   * build.json, and each arch's folder of init.sh logs.
   */
  appVersionRecords(version: string, arches: readonly string[]): string[];
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
  const build = posix.join(root, 'build');
  const buildLayout = posix.join(build, 'oci');
  const releaseImage = posix.join(root, 'release-image');
  const appVersion = (version: string) => posix.join(root, version);
  return {
    root,
    collect: posix.join(root, 'collect'),
    images,
    imagesList: posix.join(images, 'images.list'),
    build,
    buildLayout,
    buildRecords: [posix.join(build, BUILD_RECORD), ...layoutFiles(buildLayout)],
    check: posix.join(root, 'check'),
    publish: posix.join(root, 'publish'),
    bundle,
    bundleInventory: posix.join(bundle, BUNDLE_INVENTORY),
    bundleDescriptor: posix.join(bundle, BUNDLE_DESCRIPTOR),
    sync: posix.join(root, 'sync'),
    releaseImage,
    releaseImageRecords: [...layoutFiles(releaseImage), posix.join(releaseImage, RELEASE_IMAGE_RECORD)],
    appVersion,
    appVersionRecords: (version, arches) => [
      ...layoutFiles(appVersion(version)),
      posix.join(appVersion(version), BUILD_RECORD),
      ...arches.map((arch) => posix.join(appVersion(version), arch)),
    ],
    appImagesList: (version, arch) => posix.join(images, version, arch, 'images.list'),
  };
}
