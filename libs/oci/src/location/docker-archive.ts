import { onePlatform } from '../copy/platform-filter';
import { DockerArchiveReader } from '../tarball/docker-archive-reader';
import { DockerArchiveWriter } from '../tarball/docker-archive-writer';
import { splitPathAndRef } from './oci';
import type { Transport } from './transport';
import type { ImageName, ImageStore } from './types';
import { DockyardError } from '@dockyard/errors';

export interface DockerArchiveLocation {
  transport: 'docker-archive';
  file: string;
  ref?: string;
}

/** `repo:tag` (with the registry when known), as `docker load` will tag the image. */
export function repoTag(at: ImageName): string | undefined {
  if (!at.repository) return at.tag;
  const name = at.registry ? `${at.registry}/${at.repository}` : at.repository;
  return at.tag ? `${name}:${at.tag}` : name;
}

/** A REF as given (`release/app:v1`), split at the tag colon: not normalised, the archive keeps it exactly. */
function nameOf(ref: string): ImageName {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repository: ref };
}

export const dockerArchiveTransport: Transport<DockerArchiveLocation> = {
  transport: 'docker-archive',
  prefix: 'docker-archive:',
  syntax: 'docker-archive:FILE[:REF]',
  description: 'a `docker load` archive of single-platform images (many, each with its tags; REF kept as given)',
  parse(rest) {
    const [file, ref] = splitPathAndRef(rest, 'docker-archive', 'file');
    return { transport: 'docker-archive', file, ref };
  },
  format: (l) => `docker-archive:${l.file}${l.ref ? `:${l.ref}` : ''}`,
  imageName: (l) => (l.ref ? nameOf(l.ref) : {}),
  named: (l, name) => ({ ...l, ref: name.tag ? `${name.repository}:${name.tag}` : name.repository }),
  openSource(location) {
    const reader = new DockerArchiveReader(location.file, location.ref);
    return {
      name: dockerArchiveTransport.format(location),
      key: `file:${location.file}`,
      async topDigest() {
        return (await reader.image()).manifest.digest;
      },
      async manifest(digest) {
        const { manifest } = await reader.image();
        if (digest && digest !== manifest.digest)
          throw new DockyardError(`${location.file}: no manifest ${digest}`, { code: 'MANIFEST_NOT_FOUND' });
        return manifest;
      },
      openBlob: (desc, offset) => reader.openBlob(desc.digest, offset),
    };
  },
  storeKey: (l) => `file:${l.file}`,
  openStore({ file }): ImageStore {
    const writer = new DockerArchiveWriter(file);
    return {
      name: `docker-archive:${file}`,
      key: `file:${file}`,
      manifestDigest: async () => undefined,
      hasBlob: async () => false,
      writeBlob: (_at, desc, body) => writer.writeBlob(desc.digest, body),
      async writeManifest() {},
      accept: (model, platforms) => onePlatform(model, platforms),
      async prepare(images) {
        const tagged = images.map(({ image, at }) => {
          const tag = repoTag(at);
          return {
            config: image.config.descriptor,
            layers: image.layers.map((l) => l.descriptor),
            repoTags: tag ? [tag] : [],
          };
        });
        await writer.plan(tagged);
      },
      commit: () => writer.commit(),
      abort: () => writer.abort(),
    };
  },
  targetName: (l, fallback) => (l.ref ? nameOf(l.ref) : fallback),
};
