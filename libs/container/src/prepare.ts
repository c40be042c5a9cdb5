import type { ContentStore } from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';
import { openBaseRepository, type BaseRepository } from './base-repository';
import { fetchChecked } from './fetch-base';
import { baseArchiveLocation, datedFolders, needsListing, updateListingPath } from './repository-layout';

export interface PrepareRequest {
  /** `base.repo`: URL or folder. */
  repo: string;
  /** `base.index`; default release. */
  index?: string;
  versions: string[];
  arches: Arch[];
  projectDir: string;
  store: ContentStore;
}

export interface PreparedBase {
  version: string;
  arch: Arch;
  /** The index actually used, with `update` resolved to its dated folder. */
  index: string;
  url: string;
  digest: string;
  /** The stored `.tar.xz`. */
  path: string;
  /** False when an earlier prepare had stored it already. */
  fetched: boolean;
}

async function resolveIndex(repository: BaseRepository, version: string, index: string): Promise<string> {
  if (!needsListing(index)) return index;
  const listingPath = updateListingPath(version);
  const newest = datedFolders(await repository.listing(listingPath))[0];
  if (!newest)
    throw new Error(
      `${repository.where(listingPath)}: lists no dated update folder (YYYY-MM-DD/); use base.index: release`,
    );
  return `update/${newest}`;
}

/** Fetches every version × arch base archive into the store, each checked against its `.sha256sum`. */
export async function prepareBases(request: PrepareRequest): Promise<PreparedBase[]> {
  const repository = openBaseRepository(request.repo, request.projectDir);
  const prepared: PreparedBase[] = [];
  for (const version of request.versions) {
    const index = await resolveIndex(repository, version, request.index ?? 'release');
    const stored = await Promise.all(
      request.arches.map(async (arch) => {
        const location = baseArchiveLocation(version, index, arch);
        const file = await fetchChecked(
          repository,
          { path: location.archivePath, checksumPath: location.checksumPath },
          request.store,
        );
        return { version, arch, index, ...file };
      }),
    );
    prepared.push(...stored);
  }
  return prepared;
}
