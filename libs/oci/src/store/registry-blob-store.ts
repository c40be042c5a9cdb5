import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DockyardError } from '@dockyard/errors';
import { credentialProvider } from '../auth/credentials';
import { RegistryPool } from '../location/registry-pool';
import type { Descriptor } from '../manifest';
import { headBlob, openBlob } from '../remote/blobs';
import type { RegistryConnection } from '../remote/registry';
import { uploadBlob } from '../remote/uploads';
import type { SharedBlobStore } from './shared-store';

/** Blobs kept in one repository of an OCI registry (`docker://HOST/REPOSITORY`), addressed by digest alone. */
export class RegistryBlobStore implements SharedBlobStore {
  readonly key: string;
  private connection?: Promise<RegistryConnection>;

  private constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly pool: RegistryPool,
  ) {
    this.key = `docker://${registry}/${repository}`;
  }

  static parse(location: string): RegistryBlobStore {
    const match = /^docker:\/\/([^/@]+)\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)\/?$/.exec(location);
    if (!match)
      throw new DockyardError(
        `${location.replace(/\/\/[^@/]*@/, '//')}: not a registry repository as docker://HOST[:PORT]/REPOSITORY`,
        { code: 'STORE_LOCATION', hint: 'no tag or digest; credentials come from the docker config, not the URL' },
      );
    // Credentials from the docker config (DOCKER_CONFIG or ~/.docker), as `docker login` or CI login actions write it.
    return new RegistryBlobStore(match[1]!, match[2]!, new RegistryPool({ credentials: credentialProvider({}) }));
  }

  private connect(): Promise<RegistryConnection> {
    this.connection ??= this.pool.connect(this.registry);
    return this.connection;
  }

  async open(descriptor: Descriptor, offset: number): Promise<Readable | undefined> {
    return this.failing(`reading ${descriptor.digest}`, async () => {
      const conn = await this.connect();
      if ((await headBlob(conn, this.repository, descriptor.digest)) === undefined) return undefined;
      return openBlob(conn, this.repository, descriptor.digest, offset);
    });
  }

  async put(descriptor: Descriptor, file: string): Promise<boolean> {
    return this.failing(`storing ${descriptor.digest}`, async () => {
      const conn = await this.connect();
      if ((await headBlob(conn, this.repository, descriptor.digest)) !== undefined) return false;
      await uploadBlob(conn, this.repository, descriptor, createReadStream(file));
      return true;
    });
  }

  /** Errors say they come from the shared store; the registry client's message (never a credential) is kept. */
  private async failing<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      this.connection = undefined;
      throw new DockyardError(`the shared store ${this.key}: ${what} failed: ${(err as Error).message}`, {
        code: 'STORE_SHARED',
        cause: err,
      });
    }
  }
}
