import { readBody, type HttpResponse } from '../transport/types';

export interface RegistryErrorInit {
  status: number;
  url: URL;
  message: string;
  codes?: string[];
  hint?: string;
}

/** A registry answer the caller can act on: status, endpoint (no query), registry error codes, advice. */
export class RegistryError extends Error {
  readonly status: number;
  readonly codes: string[];
  constructor(init: RegistryErrorInit) {
    super(`${init.url.origin}${init.url.pathname}: ${init.message}${init.hint ? ` — ${init.hint}` : ''}`);
    this.status = init.status;
    this.codes = init.codes ?? [];
  }
}

function hintFor(status: number, host: string): string | undefined {
  if (status === 401) return `authentication failed for ${host}; check the username and password (or token) configured for it`;
  if (status === 403) return `the credentials for ${host} lack permission for this repository`;
  if (status === 404) return 'not found in the registry (check the repository name and tag)';
  if (status === 429) return 'the registry is rate limiting; lower the concurrency or retry later';
  return undefined;
}

/** Builds a RegistryError from an unexpected response, reading the `{errors:[…]}` body when present. */
export async function registryError(response: HttpResponse, action: string): Promise<RegistryError> {
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
    hint: hintFor(response.status, response.url.host),
  });
}
