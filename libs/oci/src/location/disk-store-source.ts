import type { Readable } from 'node:stream';
import { manifestBlob, manifestMediaType } from '../manifest';
import type { ImageSource } from './types';
import { DockyardError } from '@dockyard/errors';

/** Content addressed by digest on disk: an OCI layout or distribution's registry storage, in a folder or a tar. */
export interface DiskBlobStore {
  readBlob(digest: string): Promise<Buffer>;
  openBlob(digest: string, offset: number): Readable | Promise<Readable>;
}

/** An ImageSource over a blob store on disk; every manifest read is checked against its digest. */
export function diskStoreSource(
  dir: string,
  name: string,
  store: DiskBlobStore,
  topDigest: () => Promise<string>,
): ImageSource {
  return {
    name,
    key: `dir:${dir}`,
    topDigest,
    async manifest(digest) {
      const wanted = digest ?? (await topDigest());
      const bytes = await store.readBlob(wanted).catch((err: NodeJS.ErrnoException) => {
        throw new DockyardError(`${name}: cannot read manifest ${wanted} from ${dir} (${err.code ?? err.message})`, {
          code: 'MANIFEST_UNREADABLE',
          cause: err,
        });
      });
      const blob = manifestBlob(bytes, manifestMediaType(bytes, undefined));
      if (blob.digest !== wanted)
        throw new DockyardError(`${name}: blob ${wanted} is corrupt on disk (content hashes to ${blob.digest})`, {
          code: 'BLOB_CORRUPT',
        });
      return blob;
    },
    async openBlob(desc, offset) {
      return store.openBlob(desc.digest, offset);
    },
  };
}
