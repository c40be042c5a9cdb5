import { RegistryStorage } from '../registry-dir/registry-storage';
import { diskStoreSource } from './disk-store-source';
import type { ImageSource, ImageTarget } from './types';

export function registryDirSource(dir: string, repository: string, reference: string): ImageSource {
  const storage = new RegistryStorage(dir);
  const name = `registry-dir:${dir}:${repository}:${reference}`;
  async function topDigest(): Promise<string> {
    const digest = await storage.resolve(repository, reference);
    if (!digest) throw new Error(`${name}: ${repository}:${reference} is not in ${storage.paths.root}`);
    return digest;
  }
  return diskStoreSource(dir, name, storage, topDigest);
}

export function registryDirTarget(dir: string, repository: string, tag: string | undefined): ImageTarget {
  const storage = new RegistryStorage(dir);
  return {
    name: `registry-dir:${dir}:${repository}${tag ? `:${tag}` : ''}`,
    endpointKey: `dir:${dir}`,
    storeKey: `dir:${dir}`,
    repository,
    tag,
    manifestDigest: (reference) => storage.resolve(repository, reference),
    hasBlob: (desc) => storage.hasLayer(repository, desc.digest),
    async mountBlob(desc) {
      if (!(await storage.hasBlobData(desc.digest))) return false;
      await storage.linkLayer(repository, desc.digest);
      return true;
    },
    writeBlob: (desc, body) => storage.writeLayer(repository, desc.digest, body),
    writeManifest: (blob, reference) => storage.writeManifest(repository, blob, reference),
  };
}
