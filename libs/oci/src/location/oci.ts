import { resolve } from 'node:path';
import { isDigest } from '../digest';
import { OciLayout } from '../layout/oci-layout';
import { diskStoreSource } from './disk-store-source';
import { locationError, type Transport } from './transport';
import type { ImageName, ImageStore } from './types';
import { DockyardError } from '@dockyard/errors';

export interface OciLocation {
  transport: 'oci';
  dir: string;
  ref?: string;
}

/** The index.json name of an image: `repo:tag` when both are known, else what was given. */
function refName(at: ImageName): string | undefined {
  return at.repository && at.tag ? `${at.repository}:${at.tag}` : (at.tag ?? at.repository);
}

export function splitPathAndRef(rest: string, transport: string, what: string): [string, string | undefined] {
  const colon = rest.indexOf(':');
  const [path, ref] = colon < 0 ? [rest, undefined] : [rest.slice(0, colon), rest.slice(colon + 1) || undefined];
  if (!path)
    throw locationError(
      `${transport}: needs a ${what} (${transport}:${what.toUpperCase()}[:REF]); to use the current folder write ${transport}:.`,
    );
  return [resolve(path), ref];
}

export const ociTransport: Transport<OciLocation> = {
  transport: 'oci',
  prefix: 'oci:',
  syntax: 'oci:DIR[:REF]',
  description: 'an OCI image layout directory (REF names the image in index.json)',
  parse(rest) {
    const [dir, ref] = splitPathAndRef(rest, 'oci', 'dir');
    return { transport: 'oci', dir, ref };
  },
  format: (location) => `oci:${location.dir}${location.ref ? `:${location.ref}` : ''}`,
  imageName: (location) => (location.ref ? { tag: location.ref } : {}),
  named: (location, name) => ({ ...location, ref: name.tag ? `${name.repository}:${name.tag}` : name.repository }),
  openSource(location) {
    const { dir, ref } = location;
    const name = ociTransport.format(location);
    if (!ref) throw locationError(`${name} needs a reference to read (oci:DIR:REF)`);
    const layout = new OciLayout(dir);
    return diskStoreSource(dir, name, layout, async () => {
      if (isDigest(ref)) return ref;
      const entry = await layout.findRef(ref);
      if (!entry)
        throw new DockyardError(`${name}: no image named "${ref}" in ${dir}/index.json`, { code: 'IMAGE_NOT_FOUND' });
      return entry.digest;
    });
  },
  storeKey: ({ dir }) => `dir:${dir}`,
  openStore({ dir }): ImageStore {
    const layout = new OciLayout(dir);
    return {
      name: `oci:${dir}`,
      key: `dir:${dir}`,
      async manifestDigest(_at, reference) {
        if (isDigest(reference)) return (await layout.hasBlob(reference)) ? reference : undefined;
        return (await layout.findRef(reference))?.digest;
      },
      hasBlob: (_at, desc) => layout.hasBlob(desc.digest),
      writeBlob: (_at, desc, body) => layout.writeBlob(desc.digest, body),
      async writeManifest(_at, blob, reference) {
        await layout.writeManifest(blob);
        if (!isDigest(reference)) await layout.tag(blob, reference);
      },
    };
  },
  targetName: (location, fallback) => (location.ref ? { tag: location.ref } : { tag: refName(fallback) }),
};
