import type { Readable } from 'node:stream';
import { DockyardError } from '@dockyard/errors';
import type { Descriptor } from '../manifest';
import { RegistryBlobStore } from './registry-blob-store';
import { S3BlobStore } from './s3-blob-store';

/**
 * A second tier behind the local content store, shared by every machine: a blob missing here is fetched from it
 * by digest, a blob made or downloaded here is pushed to it. Blobs are content-addressed and the local store
 * verifies each on the way in, so a wrong or tampered blob in the shared tier can never be used.
 */
export interface SharedBlobStore {
  /** Where it is, for messages: never holds credentials. */
  readonly key: string;
  /** The blob's bytes from `offset`, or undefined when the shared tier does not hold it. */
  open(descriptor: Descriptor, offset: number): Promise<Readable | undefined>;
  /** Makes the blob (the local file `file`) present there; false when it already was. */
  put(descriptor: Descriptor, file: string): Promise<boolean>;
}

/**
 * The shared tier `location` names: `docker://HOST[:PORT]/REPOSITORY` (an OCI registry repository; credentials
 * from the docker config, as `docker login` writes them) or `s3://BUCKET[/PREFIX]` (credentials, region and
 * endpoint as the AWS SDK reads them from the environment). Nothing is contacted until a blob is needed.
 */
export function sharedStoreAt(location: string, env: NodeJS.ProcessEnv): SharedBlobStore {
  if (location.startsWith('docker://')) return RegistryBlobStore.parse(location);
  if (location.startsWith('s3://')) return S3BlobStore.parse(location, env);
  throw new DockyardError(`${location}: not a shared store location (docker://HOST/REPOSITORY or s3://BUCKET/PREFIX)`, {
    code: 'STORE_LOCATION',
  });
}
