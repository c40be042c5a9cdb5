import { manifestBlob, manifestMediaType } from '../manifest';
import { RegistryStorage } from '../registry-dir/registry-storage';
import type { ImageSource, ImageTarget } from './types';

export function registryDirSource(dir: string, repository: string, reference: string): ImageSource {
  const storage = new RegistryStorage(dir);
  const name = `registry-dir:${dir}:${repository}:${reference}`;
  async function topDigest(): Promise<string> {
    const digest = await storage.resolve(repository, reference);
    if (!digest) throw new Error(`${name}: ${repository}:${reference} is not in ${storage.paths.root}`);
    return digest;
  }
  return {
    name,
    endpointKey: `dir:${dir}`,
    topDigest,
    async manifest(digest) {
      const wanted = digest ?? (await topDigest());
      const bytes = await storage.readBlob(wanted);
      const blob = manifestBlob(bytes, manifestMediaType(bytes, undefined));
      if (blob.digest !== wanted) throw new Error(`${name}: blob ${wanted} is corrupt on disk`);
      return blob;
    },
    async openBlob(desc, offset) {
      return storage.openBlob(desc.digest, offset);
    },
  };
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
