import type { Arch } from '@dockyard/project-spec';
import { repositoryArch } from './arch';

/** Where one arch's base image lives in an openEuler repository. */
export interface BaseArchiveLocation {
  version: string;
  arch: Arch;
  /** Path below the repository root: `openEuler-<VERSION>/<index>/<arch>/openEuler-docker.<arch>.tar.xz`. */
  archivePath: string;
  checksumPath: string;
}

/** `release` | `update` | `update/current` | `update/YYYY-MM-DD`, as project.yaml's `base.index` spells it. */
export type IndexSpec = string;

const DATED_UPDATE = /^update\/(\d{4}-\d{2}-\d{2})$/;

/** The version folder: `openEuler-22.03-LTS-SP1` (the repository spells versions upper-case). */
export function versionFolder(version: string): string {
  return `openEuler-${version.toUpperCase()}`;
}

/** Folder listed to find the newest update (`update` alone means the newest dated folder). */
export function updateListingPath(version: string): string {
  return `${versionFolder(version)}/docker_img/update/`;
}

/** Whether `index` needs the update listing to be resolved. */
export function needsListing(index: IndexSpec): boolean {
  return index === 'update';
}

/** The index folder below the version folder, for an index that needs no listing. */
export function indexFolder(index: IndexSpec): string {
  if (index === 'release') return 'docker_img';
  if (index === 'update/current') return 'docker_img/update/current';
  const dated = DATED_UPDATE.exec(index);
  if (dated) return `docker_img/update/${dated[1]}`;
  throw new Error(`base.index "${index}" is not release, update, update/current or update/YYYY-MM-DD`);
}

/** The dated update folders an HTTP directory listing (or a folder's entries) names, newest first. */
export function datedFolders(listing: string | string[]): string[] {
  const names =
    typeof listing === 'string'
      ? [...listing.matchAll(/href="(?:\.\/)?(\d{4}-\d{2}-\d{2})\/?"/g)].map((m) => m[1]!)
      : listing.filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name));
  return [...new Set(names)].sort().reverse();
}

export function baseArchiveLocation(version: string, resolvedIndex: IndexSpec, arch: Arch): BaseArchiveLocation {
  const repoArch = repositoryArch(arch);
  if (!repoArch) throw new Error(`openEuler publishes no base image for ${arch} (only amd64, arm64 and loong64)`);
  const file = `openEuler-docker.${repoArch}.tar.xz`;
  const archivePath = `${versionFolder(version)}/${indexFolder(resolvedIndex)}/${repoArch}/${file}`;
  return { version, arch, archivePath, checksumPath: `${archivePath}.sha256sum` };
}

/** The sha256 digest a `.sha256sum` file states (`<hex>  <file name>`). */
export function parseChecksumFile(text: string, where: string): string {
  const hex = /^\s*([0-9a-fA-F]{64})\b/.exec(text)?.[1];
  if (!hex) throw new Error(`${where}: not a sha256sum file (expected "<64 hex digits>  <file name>")`);
  return `sha256:${hex.toLowerCase()}`;
}
