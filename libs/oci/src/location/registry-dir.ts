import { parseRepositoryReference } from '../reference';
import { RegistryStorage } from '../registry-dir/registry-storage';
import { diskStoreSource } from './disk-store-source';
import { splitPathAndRef } from './oci';
import { locationError, repositoryOf, type Transport } from './transport';
import type { ImageStore } from './types';
import { DockyardError } from '@dockyard/errors';

export interface RegistryDirLocation {
  transport: 'registry-dir';
  dir: string;
  repository?: string;
  tag?: string;
}

const noRepository = (dir: string) => `registry-dir:${dir} needs REPO:TAG because the source names no repository`;

export const registryDirTransport: Transport<RegistryDirLocation> = {
  transport: 'registry-dir',
  prefix: 'registry-dir:',
  syntax: 'registry-dir:DIR[:REPO:TAG]',
  description: 'registry storage (DIR/docker/registry/v2/...), served as is by a stock registry',
  parse(rest) {
    const [dir, name] = splitPathAndRef(rest, 'registry-dir', 'dir');
    if (!name) return { transport: 'registry-dir', dir };
    const ref = parseRepositoryReference(name);
    return { transport: 'registry-dir', dir, repository: ref.repository, tag: ref.tag ?? ref.digest };
  },
  format: (l) => `registry-dir:${l.dir}${l.repository ? `:${l.repository}${l.tag ? `:${l.tag}` : ''}` : ''}`,
  imageName: (l) => ({ repository: l.repository, tag: l.tag }),
  named: (l, name) => ({ ...l, repository: name.repository, tag: name.tag }),
  openSource(location) {
    const { dir, repository, tag } = location;
    if (!repository || !tag)
      throw locationError(`registry-dir:${dir} needs REPO:TAG to read (registry-dir:DIR:REPO:TAG)`);
    const storage = new RegistryStorage(dir);
    const name = registryDirTransport.format(location);
    return diskStoreSource(dir, name, storage, async () => {
      const digest = await storage.resolve(repository, tag);
      if (!digest)
        throw new DockyardError(`${name}: ${repository}:${tag} is not in ${storage.paths.root}`, {
          code: 'IMAGE_NOT_FOUND',
        });
      return digest;
    });
  },
  storeKey: ({ dir }) => `dir:${dir}`,
  openStore({ dir }): ImageStore {
    const storage = new RegistryStorage(dir);
    return {
      name: `registry-dir:${dir}`,
      key: `dir:${dir}`,
      manifestDigest: (at, reference) => storage.resolve(repositoryOf(at, noRepository(dir)), reference),
      hasBlob: (at, desc) => storage.hasLayer(repositoryOf(at, noRepository(dir)), desc.digest),
      async linkBlob(at, desc) {
        if (!(await storage.hasBlobData(desc.digest))) return false;
        await storage.linkLayer(repositoryOf(at, noRepository(dir)), desc.digest);
        return true;
      },
      writeBlob: (at, desc, body) => storage.writeLayer(repositoryOf(at, noRepository(dir)), desc.digest, body),
      writeManifest: (at, blob, reference) =>
        storage.writeManifest(repositoryOf(at, noRepository(dir)), blob, reference),
    };
  },
  targetName: (l, fallback) => ({
    repository: l.repository ?? fallback.repository,
    tag: l.repository ? l.tag : fallback.tag,
  }),
};
