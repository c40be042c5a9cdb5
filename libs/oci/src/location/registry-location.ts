import type { Readable } from 'node:stream';
import type { Descriptor, ManifestBlob } from '../manifest';
import { formatReference, manifestReference, type ImageRef } from '../reference';
import { headBlob, openBlob } from '../remote/blobs';
import { getManifest, headManifest, putManifest } from '../remote/manifests';
import { mountBlob, uploadBlob } from '../remote/uploads';
import type { RegistryPool } from './registry-pool';
import type { ImageSource, ImageTarget } from './types';

export function registryStoreKey(registry: string): string {
  return `registry:${registry}`;
}

export function registrySource(pool: RegistryPool, ref: ImageRef): ImageSource {
  const conn = () => pool.connect(ref.registry);
  const top = manifestReference(ref);
  return {
    name: `docker://${formatReference(ref)}`,
    endpointKey: registryStoreKey(ref.registry),
    mountFrom: { storeKey: registryStoreKey(ref.registry), repository: ref.repository },
    async topDigest() {
      if (ref.digest) return ref.digest;
      return (await headManifest(await conn(), ref.repository, top))?.digest;
    },
    async manifest(digest?: string): Promise<ManifestBlob> {
      return getManifest(await conn(), ref.repository, digest ?? top);
    },
    async openBlob(desc: Descriptor, offset: number): Promise<Readable> {
      return openBlob(await conn(), ref.repository, desc.digest, offset);
    },
  };
}

/** Writes to `ref.repository` under `ref.tag`; a digest-only ref writes by digest. */
export function registryTarget(pool: RegistryPool, ref: ImageRef): ImageTarget {
  const conn = () => pool.connect(ref.registry);
  return {
    name: `docker://${formatReference(ref)}`,
    endpointKey: registryStoreKey(ref.registry),
    storeKey: registryStoreKey(ref.registry),
    repository: ref.repository,
    tag: ref.tag,
    async manifestDigest(reference) {
      return (await headManifest(await conn(), ref.repository, reference))?.digest;
    },
    async hasBlob(desc) {
      return (await headBlob(await conn(), ref.repository, desc.digest)) !== undefined;
    },
    async mountBlob(desc, fromRepository) {
      return mountBlob(await conn(), ref.repository, desc.digest, fromRepository);
    },
    async writeBlob(desc, body) {
      await uploadBlob(await conn(), ref.repository, desc, body);
    },
    async writeManifest(blob, reference) {
      await putManifest(await conn(), ref.repository, reference, blob);
    },
  };
}
