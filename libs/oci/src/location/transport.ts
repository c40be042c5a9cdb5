import { DockyardError } from '@dockyard/errors';
import type { RegistryPool } from './registry-pool';
import type { ImageName, ImageSource, ImageStore } from './types';

/** The repository a registry-shaped store writes to; `missing` says what to do when the name has none. */
export function repositoryOf(at: ImageName, missing: string): string {
  if (!at.repository) throw locationError(missing);
  return at.repository;
}

/** A location that does not parse or cannot be used the way it is asked to be. */
export function locationError(message: string): DockyardError {
  return new DockyardError(message, { code: 'LOCATION_INVALID' });
}

/** What opening a location needs: the run's registry connections, and its stores (so two targets of one archive share it). */
export interface LocationContext {
  pool: RegistryPool;
  stores: Map<string, ImageStore>;
}

export function locationContext(pool: RegistryPool): LocationContext {
  return { pool, stores: new Map() };
}

/** One way of addressing images (`docker://`, `oci:`, ...): everything the engine needs to know of it, in one module. */
export interface Transport<L extends { transport: string }> {
  readonly transport: L['transport'];
  /** The text before the location's own part: `docker://`, `oci:`. */
  readonly prefix: string;
  /** Its syntax and meaning, for help texts. */
  readonly syntax: string;
  readonly description: string;
  parse(rest: string): L;
  format(location: L): string;
  /** The name the location gives its image, when it names one. */
  imageName(location: L): ImageName;
  /** The same place, naming the image `name` (a sync list line). */
  named(location: L, name: { repository: string; tag?: string }): L;
  openSource(location: L, context: LocationContext): ImageSource;
  /** The store holding the location; the same key gives the same store within one context. Read-only transports have none. */
  storeKey?(location: L): string;
  openStore?(location: L, context: LocationContext): ImageStore;
  /** Where in its store the location writes, names it omits taken from `fallback` (the source's name). */
  targetName(location: L, fallback: ImageName): ImageName;
}
