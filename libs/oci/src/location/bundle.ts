import { OCI_INDEX_FILE, ociBlobPath, REF_NAME } from '../layout/oci-layout';
import type { Descriptor } from '../manifest';
import { StoragePaths } from '../registry-dir/storage-paths';
import { BundleArchive, type TarFile } from '../tarball/bundle-archive';
import type { ArchiveLayout } from '../tarball/tar-image-store';
import { diskStoreSource } from './disk-store-source';
import { splitPathAndRef } from './oci';
import { locationError, type LocationContext, type Transport } from './transport';
import { DockyardError } from '@dockyard/errors';

export interface BundleLocation {
  transport: 'bundle';
  file: string;
  /** `repository:tag` as the bundle's inventory names the image. */
  name?: string;
}

/** `repository:tag` split at the tag's colon (a registry port comes before the last slash). */
export function splitImageName(name: string): { repository: string; tag: string } {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/')
    ? { repository: name.slice(0, colon), tag: name.slice(colon + 1) }
    : { repository: name, tag: 'latest' };
}

/** One reader per bundle file within a run: every image of it shares the index (and a compressed bundle's plain copy). */
const archives = new WeakMap<LocationContext, Map<string, BundleArchive>>();

/** The bundle `file` as this run's sources read it. */
export function openBundle(context: LocationContext, file: string): BundleArchive {
  const open = archives.get(context) ?? new Map<string, BundleArchive>();
  archives.set(context, open);
  let archive = open.get(file);
  if (!archive) {
    archive = new BundleArchive(file);
    open.set(file, archive);
  }
  return archive;
}

const registryPaths = new StoragePaths('');

function blobPath(layout: ArchiveLayout, digest: string): string {
  return layout === 'registry-dir' ? registryPaths.blobData(digest) : ociBlobPath(digest);
}

async function readMember(tar: TarFile, path: string, what: string): Promise<Buffer> {
  const member = tar.members.get(path);
  if (!member) throw new DockyardError(`${what} is not in the payload`, { code: 'BLOB_NOT_FOUND' });
  return tar.readAll(member);
}

/** The digest a payload's tag points at, read from the payload's own names (its tag link, or its index.json). */
async function taggedDigest(tar: TarFile, layout: ArchiveLayout, name: string): Promise<string> {
  if (layout === 'registry-dir') {
    const { repository, tag } = splitImageName(name);
    return (await readMember(tar, registryPaths.tagCurrentLink(repository, tag), `the tag ${name}`))
      .toString('utf8')
      .trim();
  }
  const index = JSON.parse((await readMember(tar, OCI_INDEX_FILE, OCI_INDEX_FILE)).toString('utf8')) as {
    manifests: Descriptor[];
  };
  const entry = index.manifests.find((m) => m.annotations?.[REF_NAME] === name);
  if (!entry) throw new DockyardError(`${OCI_INDEX_FILE} names no ${name}`, { code: 'IMAGE_NOT_FOUND' });
  return entry.digest;
}

export const bundleTransport: Transport<BundleLocation> = {
  transport: 'bundle',
  prefix: 'bundle:',
  syntax: 'bundle:FILE:REPO:TAG',
  description: 'an image in a bundle written by `dockyard bundle` (registry-dir or oci payload), read in place',
  parse(rest) {
    const [file, name] = splitPathAndRef(rest, 'bundle', 'file');
    return { transport: 'bundle', file, name };
  },
  format: (l) => `bundle:${l.file}${l.name ? `:${l.name}` : ''}`,
  imageName: (l) => (l.name ? splitImageName(l.name) : {}),
  named: (l, name) => ({ ...l, name: `${name.repository}:${name.tag ?? 'latest'}` }),
  openSource(location, context) {
    const { file, name } = location;
    if (!name) throw locationError(`bundle:${file} needs the image's name to read (bundle:FILE:REPO:TAG)`);
    const archive = openBundle(context, file);
    const payload = async () => {
      const found = await archive.payloadOf(name);
      if (found.layout === 'docker-archive')
        throw new DockyardError(
          `${file}: ${name} is in ${found.file}, a docker archive made to be docker loaded, not read as a registry`,
          { code: 'BUNDLE_PAYLOAD_NOT_READABLE' },
        );
      return found;
    };
    return diskStoreSource(
      file,
      bundleTransport.format(location),
      {
        async readBlob(digest) {
          const { tar, layout, file: where } = await payload();
          return readMember(tar, blobPath(layout, digest), `${where}: blob ${digest}`);
        },
        async openBlob(digest, offset) {
          const { tar, layout, file: where } = await payload();
          const member = tar.members.get(blobPath(layout, digest));
          if (!member)
            throw new DockyardError(`${file}: blob ${digest} is not in ${where}`, { code: 'BLOB_NOT_FOUND' });
          return tar.read(member, offset);
        },
      },
      async () => {
        const { tar, layout, file: where } = await payload();
        return taggedDigest(tar, layout, name).catch((err: Error) => {
          throw new DockyardError(`${file}: ${where}: ${err.message}`, { code: 'BUNDLE_IMAGE_UNREADABLE', cause: err });
        });
      },
    );
  },
  targetName: (l, fallback) => (l.name ? splitImageName(l.name) : fallback),
};
