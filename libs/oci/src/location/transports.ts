import { bundleTransport, type BundleLocation } from './bundle';
import { dockerArchiveTransport, type DockerArchiveLocation } from './docker-archive';
import { dockerTransport, type DockerLocation } from './docker';
import { ociTransport, type OciLocation } from './oci';
import { registryDirTransport, type RegistryDirLocation } from './registry-dir';
import { locationError, type LocationContext, type Transport } from './transport';
import type { ImageName, ImageSource, ImageStore, ImageTarget } from './types';

/** A location in skopeo's transport syntax (plus `registry-dir:` for registry storage): one line per transport here and below. */
export type Location = DockerLocation | OciLocation | DockerArchiveLocation | RegistryDirLocation | BundleLocation;

const TRANSPORTS: Transport<Location>[] = [
  dockerTransport,
  ociTransport,
  dockerArchiveTransport,
  registryDirTransport,
  bundleTransport,
];

/** The transport a location names; its methods take exactly that location type. */
function transportOf<L extends Location>(location: L): Transport<L> {
  return TRANSPORTS.find((t) => t.transport === location.transport)! as Transport<L>;
}

/** Help text: one line per transport. */
export function locationSyntaxHelp(indent = '  '): string {
  const width = Math.max(...TRANSPORTS.map((t) => t.syntax.length));
  return TRANSPORTS.map((t) => `${indent}${t.syntax.padEnd(width)}  ${t.description}`).join('\n');
}

export function parseLocation(input: string): Location {
  const transport = TRANSPORTS.find((t) => input.startsWith(t.prefix));
  if (!transport)
    throw locationError(`"${input}" is not a location; use one of ${TRANSPORTS.map((t) => t.syntax).join(', ')}`);
  return transport.parse(input.slice(transport.prefix.length));
}

export function formatLocation(location: Location): string {
  return transportOf(location).format(location);
}

/** The name a location gives its image: what a target that names none takes. */
export function locationName(location: Location): ImageName {
  return transportOf(location).imageName(location);
}

/** The same place, naming the image `name`. */
export function namedLocation<L extends Location>(location: L, name: { repository: string; tag?: string }): L {
  return transportOf(location).named(location, name);
}

export function openSource(location: Location, context: LocationContext): ImageSource {
  return transportOf(location).openSource(location, context);
}

/** The store holding `location`, shared within the context: images written to one archive go into one file. */
export function openStore(location: Location, context: LocationContext): ImageStore {
  const transport = transportOf(location);
  if (!transport.storeKey || !transport.openStore)
    throw locationError(`${formatLocation(location)}: ${transport.prefix} locations can only be read`);
  const key = transport.storeKey(location);
  let store = context.stores.get(key);
  if (!store) {
    store = transport.openStore(location, context);
    context.stores.set(key, store);
  }
  return store;
}

/** A target; names it omits (tag, repository) are taken from `source`'s name. */
export function openTarget(location: Location, context: LocationContext, source?: Location): ImageTarget {
  const at = transportOf(location).targetName(location, source ? locationName(source) : {});
  return { store: openStore(location, context), at, name: formatLocation(location) };
}
