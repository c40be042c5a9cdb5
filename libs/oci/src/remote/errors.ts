import { noCredentialsHint, RegistryError } from '../transport/errors';
import { readBody, type HttpResponse } from '../transport/types';

export { RegistryError, type RegistryErrorInit } from '../transport/errors';

function hintFor(status: number, host: string, anonymous: boolean): string | undefined {
  if (status === 401)
    return anonymous
      ? noCredentialsHint(host)
      : `authentication failed for ${host}; check the username and password (or token) configured for it`;
  if (status === 403) return `the credentials for ${host} lack permission for this repository`;
  if (status === 404) return 'not found in the registry (check the repository name and tag)';
  if (status === 429) return 'the registry is rate limiting; lower the concurrency or retry later';
  return undefined;
}

/**
 * Builds a RegistryError from an unexpected response, reading the `{errors:[…]}` body when present.
 * `anonymous` (the connection has no credential) turns a 401's advice from "check" into "configure".
 */
export async function registryError(response: HttpResponse, action: string, anonymous = false): Promise<RegistryError> {
  let codes: string[] = [];
  let detail = '';
  try {
    const body = (await readBody(response, 64 * 1024)).toString('utf8');
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    codes = (parsed.errors ?? []).map((e) => e.code ?? '').filter(Boolean);
    detail = (parsed.errors ?? []).map((e) => `${e.code}: ${e.message}`).join('; ');
  } catch {
    response.body.destroy();
  }
  return new RegistryError({
    status: response.status,
    url: response.url,
    codes,
    message: `${action} failed with HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
    hint: hintFor(response.status, response.url.host, anonymous),
  });
}
