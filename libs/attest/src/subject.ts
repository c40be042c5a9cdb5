import type { InstalledPackage } from './package-db';

/**
 * What a release is made of, as the attestations describe it: neutral of project kinds and of how the bundle was
 * written. The bundle engine fills it from its inventory and the project's lock.
 */
export interface ReleaseContents {
  /** The bundle's name (its top folder, or the package's file name) and the release's version. */
  name: string;
  version?: string;
  images: ContainedImage[];
  /** The pinned sources the release was collected from, by component name (the lock's components). */
  sources: SourceComponent[];
  /** Plain files of the bundle (project files, downloads, nested bundles), each with its sha256 (hex). */
  files: ContainedFile[];
  /** For a built image: the packages its own package databases list. */
  packages?: InstalledPackage[];
  /** The files that define the release (project.yaml, its lock), workspace-relative, each with its sha256 (hex). */
  definition?: ContainedFile[];
}

export interface ContainedImage {
  /** `repository:tag` as the bundle carries it. */
  name: string;
  /** The manifest's, or for a multi-arch image the index's, digest. */
  digest: string;
  mediaType?: string;
  platforms: string[];
  /** Where in the bundle it is (a payload file or a folder). */
  location: string;
  /** The reference it was read at. */
  source?: string;
}

export type SourceComponent =
  | { name: string; git: { url: string; tag: string; commit: string } }
  | { name: string; helm: { repository: string; chart: string; version: string; url: string; digest: string } }
  | { name: string; image: { repository: string; tag: string; digest?: string } };

export interface ContainedFile {
  path: string;
  sha256: string;
  /** Where it was downloaded from, when it was. */
  url?: string;
}
