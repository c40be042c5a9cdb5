import { PassThrough, type Readable } from 'node:stream';
import { discardBody, header } from '../transport/types';
import { registryError } from './errors';
import { pullScope, repoUrl, type RegistryConnection } from './registry';
import { DockyardError } from '@dockyard/errors';

export async function headBlob(
  conn: RegistryConnection,
  repository: string,
  digest: string,
): Promise<number | undefined> {
  const response = await conn.transport({
    method: 'HEAD',
    url: repoUrl(conn, repository, `blobs/${digest}`),
    scopes: [pullScope(repository)],
  });
  discardBody(response);
  if (response.status === 404) return undefined;
  if (response.status !== 200 && response.status !== 307)
    throw await registryError(response, `HEAD blob ${repository}@${digest}`, conn.anonymous);
  return Number(header(response, 'content-length') ?? 0);
}

/**
 * Opens a blob body from `offset` (Range resume). Redirects to storage backends are followed
 * without the registry's credentials. Sent once: the caller retries (see `retriedByCaller`).
 */
export async function openBlob(
  conn: RegistryConnection,
  repository: string,
  digest: string,
  offset = 0,
): Promise<Readable> {
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  let url = repoUrl(conn, repository, `blobs/${digest}`);
  for (let hop = 0; hop < 5; hop++) {
    // The copy scheduler retries blob reads (resuming by Range) within one attempt budget per blob.
    const response = await conn.transport({
      method: 'GET',
      url,
      headers,
      scopes: [pullScope(repository)],
      retriedByCaller: true,
    });
    const location = header(response, 'location');
    if (response.status >= 300 && response.status < 400 && location) {
      discardBody(response);
      url = new URL(location, url);
      continue;
    }
    if (offset > 0 && response.status === 206) return response.body;
    if (response.status === 200) {
      if (offset > 0) {
        // The server ignored Range: skip what we already have.
        return skipBytes(response.body, offset);
      }
      return response.body;
    }
    throw await registryError(response, `GET blob ${repository}@${digest}`, conn.anonymous);
  }
  throw new DockyardError(`${conn.registry}/${repository}@${digest}: too many redirects`, {
    code: 'TOO_MANY_REDIRECTS',
  });
}

function skipBytes(body: Readable, count: number): Readable {
  let remaining = count;
  const out = new PassThrough();
  body.on('error', (err) => out.destroy(err));
  body.on('data', (chunk: Buffer) => {
    if (remaining >= chunk.length) {
      remaining -= chunk.length;
      return;
    }
    const rest = chunk.subarray(remaining);
    remaining = 0;
    if (!out.write(rest)) {
      body.pause();
      out.once('drain', () => body.resume());
    }
  });
  body.on('end', () => out.end());
  return out;
}
