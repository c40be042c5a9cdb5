import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { DockyardError } from '@dockyard/errors';

/** Where the Nx cache service keeps entries: one object per task hash. */
export interface CacheObjects {
  readonly key: string;
  has(hash: string): Promise<boolean>;
  /** The entry's bytes, or undefined when there is none. */
  get(hash: string): Promise<Readable | undefined>;
  put(hash: string, body: Readable, size: number): Promise<void>;
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Entries as objects `<prefix>/<hash>` under `s3://BUCKET[/PREFIX]`; the AWS SDK reads credentials, region and an
 * endpoint other than AWS (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, path-style) from the environment.
 */
export async function s3CacheObjects(location: string, env: NodeJS.ProcessEnv = process.env): Promise<CacheObjects> {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
  if (!match)
    throw new DockyardError(`${location.replace(/\/\/[^@/]*@/, '//')}: not an S3 location as s3://BUCKET[/PREFIX]`, {
      code: 'CACHE_LOCATION',
    });
  const Bucket = match[1]!;
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  const s3 = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const client: S3Client = new s3.S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
  const Key = (hash: string) => (prefix ? `${prefix}/${hash}` : hash);
  const key = `s3://${Bucket}${prefix ? `/${prefix}` : ''}`;
  const failure = (what: string, err: unknown) =>
    new DockyardError(`${key}: ${what} failed: ${(err as Error).name}: ${(err as Error).message}`, {
      code: 'CACHE_STORAGE',
      cause: err,
    });
  return {
    key,
    async has(hash) {
      try {
        await client.send(new s3.HeadObjectCommand({ Bucket, Key: Key(hash) }));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw failure(`HEAD ${Key(hash)}`, err);
      }
    },
    async get(hash) {
      try {
        return (await client.send(new s3.GetObjectCommand({ Bucket, Key: Key(hash) }))).Body as Readable;
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw failure(`GET ${Key(hash)}`, err);
      }
    },
    async put(hash, body, size) {
      try {
        await new Upload({
          client,
          params: { Bucket, Key: Key(hash), Body: body, ContentLength: size, ContentType: 'application/octet-stream' },
        }).done();
      } catch (err) {
        throw failure(`PUT ${Key(hash)}`, err);
      }
    },
  };
}
