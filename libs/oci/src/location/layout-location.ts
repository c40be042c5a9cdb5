import { isDigest } from '../digest';
import { OciLayout } from '../layout/oci-layout';
import { diskStoreSource } from './disk-store-source';
import type { ImageSource, ImageTarget } from './types';

export function layoutSource(dir: string, ref: string): ImageSource {
  const layout = new OciLayout(dir);
  const name = `oci:${dir}:${ref}`;
  async function topDigest(): Promise<string> {
    if (isDigest(ref)) return ref;
    const entry = await layout.findRef(ref);
    if (!entry) throw new Error(`${name}: no image named "${ref}" in ${dir}/index.json`);
    return entry.digest;
  }
  return diskStoreSource(dir, name, layout, topDigest);
}

/** `ref` names the image in index.json; undefined stores it by digest only. */
export function layoutTarget(dir: string, ref: string | undefined): ImageTarget {
  const layout = new OciLayout(dir);
  return {
    name: `oci:${dir}${ref ? `:${ref}` : ''}`,
    endpointKey: `dir:${dir}`,
    storeKey: `dir:${dir}`,
    repository: '',
    tag: ref,
    async manifestDigest(reference) {
      if (isDigest(reference)) return (await layout.hasBlob(reference)) ? reference : undefined;
      return (await layout.findRef(reference))?.digest;
    },
    hasBlob: (desc) => layout.hasBlob(desc.digest),
    writeBlob: (desc, body) => layout.writeBlob(desc.digest, body),
    async writeManifest(blob, reference) {
      await layout.writeManifest(blob);
      if (!isDigest(reference)) await layout.tag(blob, reference);
    },
  };
}
