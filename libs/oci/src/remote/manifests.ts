import { isDigest, sha256Digest, DigestMismatchError } from '../digest';
import { manifestBlob, manifestMediaType, type ManifestBlob } from '../manifest';
import { MANIFEST_ACCEPT } from '../media-types';
import { discardBody, header, readBody } from '../transport/types';
import { registryError } from './errors';
import { pullScope, pushScope, repoUrl, type RegistryConnection } from './registry';

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

const MAX_MANIFEST = 4 * 1024 * 1024;

/** HEAD a manifest by tag or digest; undefined when the registry does not have it. */
export async function headManifest(
  conn: RegistryConnection,
  repository: string,
  reference: string,
): Promise<ManifestHead | undefined> {
  const response = await conn.transport({
    method: 'HEAD',
    url: repoUrl(conn, repository, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
    scopes: [pullScope(repository)],
  });
  discardBody(response);
  if (response.status === 404) return undefined;
  if (response.status !== 200)
    throw await registryError(response, `HEAD manifest ${repository}:${reference}`, conn.anonymous);
  const digest = header(response, 'docker-content-digest');
  if (!digest) return undefined;
  return {
    digest,
    mediaType: header(response, 'content-type') ?? '',
    size: Number(header(response, 'content-length') ?? 0),
  };
}

/** GET a manifest, keeping the exact bytes; verified against the requested or announced digest. */
export async function getManifest(
  conn: RegistryConnection,
  repository: string,
  reference: string,
): Promise<ManifestBlob> {
  const response = await conn.transport({
    method: 'GET',
    url: repoUrl(conn, repository, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
    scopes: [pullScope(repository)],
  });
  if (response.status !== 200)
    throw await registryError(response, `GET manifest ${repository}:${reference}`, conn.anonymous);
  const bytes = await readBody(response, MAX_MANIFEST);
  const blob = manifestBlob(bytes, manifestMediaType(bytes, header(response, 'content-type')));
  const expected = isDigest(reference) ? reference : header(response, 'docker-content-digest');
  if (expected && expected.startsWith('sha256:') && expected !== blob.digest) {
    throw new DigestMismatchError(
      expected,
      sha256Digest(bytes),
      `manifest ${conn.registry}/${repository}:${reference}`,
    );
  }
  return blob;
}

export async function putManifest(
  conn: RegistryConnection,
  repository: string,
  reference: string,
  blob: ManifestBlob,
): Promise<void> {
  const response = await conn.transport({
    method: 'PUT',
    url: repoUrl(conn, repository, `manifests/${reference}`),
    headers: { 'content-type': blob.mediaType },
    body: blob.bytes,
    scopes: [pushScope(repository)],
  });
  if (response.status !== 201 && response.status !== 200)
    throw await registryError(response, `PUT manifest ${repository}:${reference}`, conn.anonymous);
  discardBody(response);
}
