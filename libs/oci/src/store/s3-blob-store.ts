import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { DockyardError } from '@dockyard/errors';
import { digestHex } from '../digest';
import type { Descriptor } from '../manifest';
import type { SharedBlobStore } from './shared-store';

/**
 * Blobs kept as objects `<prefix>/blobs/sha256/<hex>` in an S3 bucket (`s3://BUCKET[/PREFIX]`). The SDK reads
 * credentials and region from the environment as usual (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION);
 * an endpoint other than AWS (MinIO, OSS, Ceph) from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, addressed path-style.
 */
export class S3BlobStore implements SharedBlobStore {
  readonly key: string;
  private client?: Promise<S3Client>;

  private constructor(
    readonly bucket: string,
    readonly prefix: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.key = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  }

  static parse(location: string, env: NodeJS.ProcessEnv): S3BlobStore {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
    if (!match)
      throw new DockyardError(`${location.replace(/\/\/[^@/]*@/, '//')}: not an S3 location as s3://BUCKET[/PREFIX]`, {
        code: 'STORE_LOCATION',
        hint: 'credentials come from the AWS environment, not the URL',
      });
    return new S3BlobStore(match[1]!, (match[2] ?? '').replace(/^\/+|\/+$/g, ''), env);
  }

  private objectKey(digest: string): string {
    return `${this.prefix ? `${this.prefix}/` : ''}blobs/sha256/${digestHex(digest)}`;
  }

  private s3(): Promise<S3Client> {
    this.client ??= (async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const endpoint = this.env.AWS_ENDPOINT_URL_S3 || this.env.AWS_ENDPOINT_URL;
      return new S3Client({
        region: this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || 'us-east-1',
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 4,
      });
    })();
    return this.client;
  }

  async open(descriptor: Descriptor, offset: number): Promise<Readable | undefined> {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const Key = this.objectKey(descriptor.digest);
    try {
      const response = await (
        await this.s3()
      ).send(new GetObjectCommand({ Bucket: this.bucket, Key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}) }));
      return response.Body as Readable;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw this.failure(`GET ${Key}`, err);
    }
  }

  async put(descriptor: Descriptor, file: string): Promise<boolean> {
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const { Upload } = await import('@aws-sdk/lib-storage');
    const Key = this.objectKey(descriptor.digest);
    const client = await this.s3();
    try {
      await client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return false;
    } catch (err) {
      if (!isMissing(err)) throw this.failure(`HEAD ${Key}`, err);
    }
    try {
      await new Upload({
        client,
        params: { Bucket: this.bucket, Key, Body: createReadStream(file), ContentType: 'application/octet-stream' },
      }).done();
      return true;
    } catch (err) {
      throw this.failure(`PUT ${Key}`, err);
    }
  }

  /** The SDK's error names the failure (AccessDenied, InvalidAccessKeyId); credentials are never part of it. */
  private failure(what: string, err: unknown): DockyardError {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return new DockyardError(
      `the shared store ${this.key}: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${(err as Error).name ?? 'error'}: ${(err as Error).message}`,
      { code: 'STORE_SHARED', cause: err },
    );
  }
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
