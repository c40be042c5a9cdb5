import { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStoreTarget } from '@dockyard/project-spec';
import { DockyardError } from '@dockyard/errors';

/** An object-store target project.yaml names that cannot be used as written. */
function publishConfigError(message: string): DockyardError {
  return new DockyardError(message, { code: 'PUBLISH_TARGET_INVALID' });
}

export interface ObjectStoreLocation {
  scheme: 's3' | 'oss';
  bucket: string;
  /** Key prefix without leading or trailing slashes ('' for the bucket root). */
  prefix: string;
}

export function parseObjectStoreUrl(url: string): ObjectStoreLocation {
  const match = /^(s3|oss):\/\/([a-z0-9][a-z0-9.-]*[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match)
    throw publishConfigError(`"${url}" is not an object-store URL; write s3://BUCKET/PREFIX or oss://BUCKET/PREFIX`);
  return { scheme: match[1] as 's3' | 'oss', bucket: match[2]!, prefix: (match[3] ?? '').replace(/^\/+|\/+$/g, '') };
}

export function objectKey(location: ObjectStoreLocation, ...parts: string[]): string {
  return [location.prefix, ...parts].filter(Boolean).join('/');
}

export interface ResolvedObjectStore {
  location: ObjectStoreLocation;
  url: string;
  endpoint?: string;
  region: string;
  pathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Endpoint, region and credentials of one `publish.objectStore[]` entry. Credentials come only
 * from the environment variables the project names; a variable that is not set is an error
 * here, before anything is uploaded (its name is printed, never a value).
 */
export function resolveObjectStore(
  target: ObjectStoreTarget & { pathStyle?: boolean },
  env: NodeJS.ProcessEnv,
  where: string,
): ResolvedObjectStore {
  const location = parseObjectStoreUrl(target.url);
  const region = target.region ?? (location.scheme === 'oss' ? 'oss-cn-hangzhou' : 'us-east-1');
  const endpoint = target.endpoint ?? (location.scheme === 'oss' ? `https://${region}.aliyuncs.com` : undefined);
  let credentials: ResolvedObjectStore['credentials'];
  if (target.credentials) {
    const missing = [target.credentials.accessKeyIdEnv, target.credentials.secretAccessKeyEnv].filter(
      (name) => !env[name],
    );
    if (missing.length)
      throw publishConfigError(
        `${where}: environment variable${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (credentials for ${target.url}); export ${missing.length > 1 ? 'them' : 'it'}`,
      );
    credentials = {
      accessKeyId: env[target.credentials.accessKeyIdEnv]!,
      secretAccessKey: env[target.credentials.secretAccessKeyEnv]!,
    };
  }
  return { location, url: target.url, endpoint, region, pathStyle: target.pathStyle ?? false, credentials };
}

/**
 * An S3 client for the store. Checksums are computed by this module (Content-MD5 and
 * x-amz-checksum-sha256 per request), so the SDK's own default (streamed CRC32 trailers, which
 * OSS and s3rver do not speak) is switched off.
 */
export function s3Client(store: ResolvedObjectStore): S3Client {
  return new S3Client({
    region: store.region,
    endpoint: store.endpoint,
    forcePathStyle: store.pathStyle,
    credentials: store.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  });
}
