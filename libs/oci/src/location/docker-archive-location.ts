import { DockerArchiveReader } from '../tarball/docker-archive-reader';
import { DockerArchiveWriter } from '../tarball/docker-archive-writer';
import { isImageManifestType } from '../media-types';
import type { ImageSource, ImageTarget } from './types';

export function dockerArchiveSource(path: string, ref: string | undefined): ImageSource {
  const reader = new DockerArchiveReader(path, ref);
  return {
    name: `docker-archive:${path}${ref ? `:${ref}` : ''}`,
    endpointKey: `file:${path}`,
    async topDigest() {
      return (await reader.image()).manifest.digest;
    },
    async manifest(digest) {
      const { manifest } = await reader.image();
      if (digest && digest !== manifest.digest) throw new Error(`${path}: no manifest ${digest}`);
      return manifest;
    },
    openBlob: (desc, offset) => reader.openBlob(desc.digest, offset),
  };
}

/** A new archive holding one image, tagged exactly `repoTags` (not normalized). */
export function dockerArchiveTarget(path: string, repoTags: string[]): ImageTarget {
  const writer = new DockerArchiveWriter(path, repoTags);
  return {
    name: `docker-archive:${path}${repoTags.length ? `:${repoTags.join(',')}` : ''}`,
    endpointKey: `file:${path}`,
    storeKey: `file:${path}`,
    repository: '',
    tag: repoTags[0],
    singleImage: true,
    manifestDigest: async () => undefined,
    hasBlob: async () => false,
    writeBlob: (desc, body) => writer.writeBlob(desc.digest, body),
    async writeManifest() {},
    async prepare(manifests) {
      const image = manifests.find((m) => isImageManifestType(m.mediaType));
      if (!image || manifests.length !== 1) throw new Error(`${path}: a docker archive holds one platform image; pick one with --platform`);
      await writer.plan(image);
    },
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
