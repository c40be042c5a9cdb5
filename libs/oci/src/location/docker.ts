import { formatReference, manifestReference, parseReference, type ImageRef } from '../reference';
import { headBlob, openBlob } from '../remote/blobs';
import { getManifest, headManifest, putManifest } from '../remote/manifests';
import { mountBlob, uploadBlob } from '../remote/uploads';
import { repositoryOf, type Transport } from './transport';
import type { ImageStore } from './types';

export interface DockerLocation {
  transport: 'docker';
  ref: ImageRef;
}

function registryStoreKey(registry: string): string {
  return `registry:${registry}`;
}

export const dockerTransport: Transport<DockerLocation> = {
  transport: 'docker',
  prefix: 'docker://',
  syntax: 'docker://HOST/REPO:TAG[@DIGEST]',
  description: 'a registry',
  parse: (rest) => ({ transport: 'docker', ref: parseReference(rest) }),
  format: (location) => `docker://${formatReference(location.ref)}`,
  imageName: ({ ref }) => ({ registry: ref.registry, repository: ref.repository, tag: ref.tag }),
  named: (location, name) => ({
    transport: 'docker',
    ref: parseReference(`${location.ref.registry}/${name.repository}${name.tag ? `:${name.tag}` : ''}`),
  }),
  openSource({ ref }, { pool }) {
    const conn = () => pool.connect(ref.registry);
    const top = manifestReference(ref);
    return {
      name: `docker://${formatReference(ref)}`,
      key: registryStoreKey(ref.registry),
      repository: ref.repository,
      async topDigest() {
        if (ref.digest) return ref.digest;
        return (await headManifest(await conn(), ref.repository, top))?.digest;
      },
      async manifest(digest) {
        return getManifest(await conn(), ref.repository, digest ?? top);
      },
      async openBlob(desc, offset) {
        return openBlob(await conn(), ref.repository, desc.digest, offset);
      },
    };
  },
  storeKey: ({ ref }) => registryStoreKey(ref.registry),
  openStore({ ref }, { pool }): ImageStore {
    const { registry } = ref;
    const conn = () => pool.connect(registry);
    return {
      name: `docker://${registry}`,
      key: registryStoreKey(registry),
      async manifestDigest(at, reference) {
        return (
          await headManifest(
            await conn(),
            repositoryOf(at, `docker://${registry}: no repository named to write to`),
            reference,
          )
        )?.digest;
      },
      async hasBlob(at, desc) {
        return (
          (await headBlob(
            await conn(),
            repositoryOf(at, `docker://${registry}: no repository named to write to`),
            desc.digest,
          )) !== undefined
        );
      },
      async mountBlob(at, desc, fromRepository) {
        return mountBlob(
          await conn(),
          repositoryOf(at, `docker://${registry}: no repository named to write to`),
          desc.digest,
          fromRepository,
        );
      },
      async writeBlob(at, desc, body) {
        await uploadBlob(
          await conn(),
          repositoryOf(at, `docker://${registry}: no repository named to write to`),
          desc,
          body,
        );
      },
      async writeManifest(at, blob, reference) {
        await putManifest(
          await conn(),
          repositoryOf(at, `docker://${registry}: no repository named to write to`),
          reference,
          blob,
        );
      },
    };
  },
  targetName: ({ ref }) => ({ registry: ref.registry, repository: ref.repository, tag: ref.tag }),
};
