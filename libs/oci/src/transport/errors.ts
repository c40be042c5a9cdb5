import { DockyardError } from '@dockyard/errors';

export interface RegistryErrorInit {
  status: number;
  url: URL;
  message: string;
  codes?: string[];
  hint?: string;
}

/**
 * A registry answer the caller can act on: status, endpoint (no query), registry error codes, advice.
 * It lives in transport, the lowest layer, because auth middleware raises it too (a token service refusal).
 */
export class RegistryError extends DockyardError {
  readonly status: number;
  readonly codes: string[];
  constructor(init: RegistryErrorInit) {
    super(`${init.url.origin}${init.url.pathname}: ${init.message}${init.hint ? ` — ${init.hint}` : ''}`, {
      code: 'REGISTRY_ANSWER',
    });
    this.status = init.status;
    this.codes = init.codes ?? [];
  }
}

/** A body that stopped before its end (the connection closed or stalled): reading again can succeed. */
export class InterruptedBodyError extends DockyardError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'BODY_INTERRUPTED', cause });
  }
}

/** How to act on a 401 when the request went out without credentials: there were none to check. */
export function noCredentialsHint(host: string): string {
  return `no credentials are configured for ${host}; name them in the project's sync credentials, or log in with \`docker login ${host}\` (docker config.json)`;
}
