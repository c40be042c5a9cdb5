import type { Readable } from 'node:stream';
import type { Descriptor } from '../manifest';
import { discardBody, header } from '../transport/types';
import { registryError } from './errors';
import { pullScope, pushScope, repoUrl, type RegistryConnection } from './registry';
import { DockyardError } from '@dockyard/errors';

/**
 * Cross-repository mount. True when the registry linked the blob; false when it started a
 * normal upload instead (the session is cancelled so it does not linger).
 */
export async function mountBlob(
  conn: RegistryConnection,
  repository: string,
  digest: string,
  fromRepository: string,
): Promise<boolean> {
  const url = repoUrl(conn, repository, 'blobs/uploads/');
  url.searchParams.set('mount', digest);
  url.searchParams.set('from', fromRepository);
  const response = await conn.transport({
    method: 'POST',
    url,
    scopes: [pushScope(repository), pullScope(fromRepository)],
  });
  discardBody(response);
  if (response.status === 201) return true;
  if (response.status === 202) {
    const location = header(response, 'location');
    if (location) {
      const cancel = await conn.transport({
        method: 'DELETE',
        url: new URL(location, url),
        scopes: [pushScope(repository)],
      });
      discardBody(cancel);
    }
    return false;
  }
  throw await registryError(response, `mount ${digest} from ${fromRepository} into ${repository}`, conn.anonymous);
}

// Uploads are part of a blob transfer, which the copy scheduler retries as a whole: each request is sent once.
async function startUpload(conn: RegistryConnection, repository: string): Promise<URL> {
  const url = repoUrl(conn, repository, 'blobs/uploads/');
  const response = await conn.transport({
    method: 'POST',
    url,
    scopes: [pushScope(repository)],
    retriedByCaller: true,
  });
  discardBody(response);
  const location = header(response, 'location');
  if (response.status !== 202 || !location)
    throw await registryError(response, `start upload to ${repository}`, conn.anonymous);
  return new URL(location, url);
}

function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url;
}

/** Monolithic upload: POST, then one PUT streaming the body (the registry verifies the digest too). */
export async function uploadBlob(
  conn: RegistryConnection,
  repository: string,
  desc: Descriptor,
  body: Readable,
): Promise<void> {
  const location = await startUpload(conn, repository);
  const response = await conn.transport({
    method: 'PUT',
    url: withDigest(location, desc.digest),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
    body,
    scopes: [pushScope(repository)],
    retriedByCaller: true,
  });
  if (response.status !== 201)
    throw await registryError(response, `upload ${desc.digest} to ${repository}`, conn.anonymous);
  discardBody(response);
}

/**
 * Chunked upload: PATCH each chunk with its Content-Range, following the offset the registry
 * reports in `Range`, then PUT the digest. `chunks` yields Buffers of at most a few MB.
 */
export async function uploadBlobChunked(
  conn: RegistryConnection,
  repository: string,
  desc: Descriptor,
  chunks: AsyncIterable<Buffer>,
): Promise<void> {
  let location = await startUpload(conn, repository);
  let offset = 0;
  for await (const chunk of chunks) {
    const response = await conn.transport({
      method: 'PATCH',
      url: location,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${offset}-${offset + chunk.length - 1}`,
      },
      body: chunk,
      scopes: [pushScope(repository)],
      retriedByCaller: true,
    });
    if (response.status !== 202)
      throw await registryError(
        response,
        `upload chunk at ${offset} of ${desc.digest} to ${repository}`,
        conn.anonymous,
      );
    discardBody(response);
    const range = /^(?:bytes=)?0-(\d+)$/.exec(header(response, 'range') ?? '');
    const confirmed = range ? Number(range[1]) + 1 : offset + chunk.length;
    if (confirmed !== offset + chunk.length)
      throw new DockyardError(
        `${conn.registry}/${repository}: registry confirmed ${confirmed} bytes of ${desc.digest}, sent ${offset + chunk.length}`,
        { code: 'UPLOAD_OFFSET_MISMATCH' },
      );
    offset = confirmed;
    location = new URL(header(response, 'location') ?? location.href, location);
  }
  const response = await conn.transport({
    method: 'PUT',
    url: withDigest(location, desc.digest),
    scopes: [pushScope(repository)],
    retriedByCaller: true,
  });
  if (response.status !== 201)
    throw await registryError(response, `finish upload of ${desc.digest} to ${repository}`, conn.anonymous);
  discardBody(response);
}
