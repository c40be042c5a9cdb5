import { createHash } from 'node:crypto';

/** Just enough of the OCI distribution blob API for the smoke tests, spoken with fetch. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** Monolithic upload: POST /v2/<name>/blobs/uploads/ then PUT <location>?digest=. Returns the PUT response. */
export async function pushBlob(
  registryUrl: string,
  name: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  const start = await fetch(`${registryUrl}/v2/${name}/blobs/uploads/`, { method: 'POST', headers });
  await start.body?.cancel();
  if (start.status !== 202) return start;
  const location = start.headers.get('location');
  if (!location)
    throw new Error(`POST ${registryUrl}/v2/${name}/blobs/uploads/ answered 202 without a Location header`);
  const uploadUrl = new URL(location, registryUrl);
  uploadUrl.searchParams.set('digest', sha256Digest(bytes));
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
    body: bytes,
  });
  await put.body?.cancel();
  return put;
}

export async function pullBlob(
  registryUrl: string,
  name: string,
  digest: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${registryUrl}/v2/${name}/blobs/${digest}`, { headers });
}
