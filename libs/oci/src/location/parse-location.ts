import { resolve } from 'node:path';
import { formatReference, parseReference, type ImageRef } from '../reference';
import { dockerArchiveSource, dockerArchiveTarget } from './docker-archive-location';
import { layoutSource, layoutTarget } from './layout-location';
import { registryDirSource, registryDirTarget } from './registry-dir-location';
import { registrySource, registryTarget } from './registry-location';
import type { RegistryPool } from './registry-pool';
import type { ImageSource, ImageTarget } from './types';

/** A location in skopeo's transport syntax (plus `registry-dir:` for registry storage). */
export type Location =
  | { transport: 'docker'; ref: ImageRef }
  | { transport: 'oci'; dir: string; ref?: string }
  | { transport: 'docker-archive'; file: string; ref?: string }
  | { transport: 'registry-dir'; dir: string; repository?: string; tag?: string };

export class LocationError extends Error {}

const TRANSPORTS = 'docker://HOST/REPO:TAG, oci:DIR[:REF], docker-archive:FILE[:REF], registry-dir:DIR[:REPO:TAG]';

function splitPathAndRef(rest: string): [string, string | undefined] {
  const colon = rest.indexOf(':');
  return colon < 0 ? [rest, undefined] : [rest.slice(0, colon), rest.slice(colon + 1) || undefined];
}

export function parseLocation(input: string): Location {
  if (input.startsWith('docker://')) return { transport: 'docker', ref: parseReference(input.slice('docker://'.length)) };
  const colon = input.indexOf(':');
  const transport = colon < 0 ? '' : input.slice(0, colon);
  const rest = input.slice(colon + 1);
  if (transport === 'oci') {
    const [dir, ref] = splitPathAndRef(rest);
    return { transport: 'oci', dir: resolve(dir), ref };
  }
  if (transport === 'docker-archive') {
    const [file, ref] = splitPathAndRef(rest);
    return { transport: 'docker-archive', file: resolve(file), ref };
  }
  if (transport === 'registry-dir') {
    const [dir, name] = splitPathAndRef(rest);
    if (!name) return { transport: 'registry-dir', dir: resolve(dir) };
    const ref = parseReference(`registry.invalid/${name}`);
    return { transport: 'registry-dir', dir: resolve(dir), repository: ref.repository, tag: ref.tag ?? ref.digest };
  }
  throw new LocationError(`"${input}" is not a location; use one of ${TRANSPORTS}`);
}

/** Repository and tag a location names, used to name the image at a target that names none. */
export function locationName(location: Location): { repository?: string; tag?: string; display?: string } {
  switch (location.transport) {
    case 'docker':
      return { repository: location.ref.repository, tag: location.ref.tag, display: location.ref.tag ? formatReference({ ...location.ref, digest: undefined }) : undefined };
    case 'registry-dir':
      return { repository: location.repository, tag: location.tag };
    default: {
      if (!location.ref) return {};
      try {
        const ref = parseReference(`registry.invalid/${location.ref}`);
        return { repository: ref.repository, tag: ref.tag, display: location.ref };
      } catch {
        return { tag: location.ref, display: location.ref };
      }
    }
  }
}

export function openSource(location: Location, pool: RegistryPool): ImageSource {
  switch (location.transport) {
    case 'docker':
      return registrySource(pool, location.ref);
    case 'oci':
      if (!location.ref) throw new LocationError(`oci:${location.dir} needs a reference to read (oci:DIR:REF)`);
      return layoutSource(location.dir, location.ref);
    case 'docker-archive':
      return dockerArchiveSource(location.file, location.ref);
    case 'registry-dir':
      if (!location.repository || !location.tag) throw new LocationError(`registry-dir:${location.dir} needs REPO:TAG to read (registry-dir:DIR:REPO:TAG)`);
      return registryDirSource(location.dir, location.repository, location.tag);
  }
}

/** Opens a target; names it omits (tag, repository) are taken from the source's name. */
export function openTarget(location: Location, pool: RegistryPool, source: Location): ImageTarget {
  const fallback = locationName(source);
  switch (location.transport) {
    case 'docker':
      return registryTarget(pool, location.ref);
    case 'oci':
      return layoutTarget(location.dir, location.ref ?? (fallback.repository && fallback.tag ? `${fallback.repository}:${fallback.tag}` : fallback.tag));
    case 'docker-archive': {
      const tag = location.ref ?? fallback.display;
      return dockerArchiveTarget(location.file, tag ? [tag] : []);
    }
    case 'registry-dir': {
      const repository = location.repository ?? fallback.repository;
      if (!repository) throw new LocationError(`registry-dir:${location.dir} needs REPO:TAG because the source names no repository`);
      return registryDirTarget(location.dir, repository, location.tag ?? fallback.tag);
    }
  }
}
