import type { Credential } from '../auth/credential';
import { basicAuthorization } from './basic';
import { parseChallenge, type Challenge } from './challenge';
import { noCredentialsHint, RegistryError } from './errors';
import {
  discardBody,
  header,
  isReplayable,
  readBody,
  type HttpRequest,
  type Middleware,
  type Transport,
} from './types';
import { DockyardError } from '@dockyard/errors';

interface CachedToken {
  value: string;
  expiresAt: number;
}

interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
}

/**
 * One spelling per access: scopes naming the same resource merged, actions and scopes sorted.
 * The registry's challenge may ask for `push,pull` where the request said `pull,push`; both
 * must find the same cached token and ask the token service for one resource, not two.
 */
function normalizeScopes(scopes: string[]): string[] {
  const actionsOf = new Map<string, Set<string>>();
  const unparsed = new Set<string>();
  for (const scope of scopes) {
    const match = /^(.+):([^:]*)$/.exec(scope);
    if (!match) {
      unparsed.add(scope);
      continue;
    }
    const actions = actionsOf.get(match[1]!) ?? new Set<string>();
    for (const action of match[2]!.split(',')) if (action) actions.add(action);
    actionsOf.set(match[1]!, actions);
  }
  const merged = [...actionsOf].map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`);
  return [...merged, ...unparsed].sort();
}

/**
 * The distribution token flow: ask the realm for a token covering the request's scopes
 * (several scopes in one request), cache it until shortly before it expires, and fetch a new
 * one when the registry answers 401 (an expired token, or a wider challenge). Requests that
 * need a new token at the same moment share one token request.
 */
export function bearerAuth(
  host: string,
  initial: Challenge,
  credential: Credential | undefined,
  tokenTransport: Transport,
): Middleware {
  const tokens = new Map<string, Promise<CachedToken>>();
  let challenge = initial;

  async function fetchToken(scopes: string[]): Promise<CachedToken> {
    const realm = challenge.params.realm;
    if (!realm)
      throw new DockyardError(`${host}: the registry asked for a bearer token but named no realm`, {
        code: 'AUTH_CHALLENGE_INVALID',
      });
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential && 'username' in credential) {
      headers.authorization = basicAuthorization(credential);
    }
    if (credential && 'identityToken' in credential) {
      url.searchParams.set('offline_token', 'true');
      headers.authorization = `Bearer ${credential.identityToken}`;
    }
    const response = await tokenTransport({ method: 'GET', url, headers });
    if (response.status !== 200) {
      discardBody(response);
      throw new RegistryError({
        status: response.status,
        url: new URL(url.origin + url.pathname),
        message: `token service refused the request (HTTP ${response.status})`,
        hint:
          response.status === 401
            ? credential
              ? `check the credentials configured for ${host}`
              : noCredentialsHint(host)
            : undefined,
      });
    }
    const body = JSON.parse((await readBody(response)).toString('utf8')) as TokenResponse;
    const value = body.token ?? body.access_token;
    if (!value)
      throw new DockyardError(`${host}: token service answered without "token" or "access_token"`, {
        code: 'TOKEN_RESPONSE_INVALID',
      });
    const lifetime = Math.max(body.expires_in ?? 60, 60) * 1000;
    return { value, expiresAt: Date.now() + lifetime - 10_000 };
  }

  /**
   * The cached token for these (normalized) scopes, unless it expired or is the `rejected` one;
   * otherwise one new fetch, which everyone asking meanwhile waits for (and fails with).
   */
  async function tokenFor(scopes: string[], rejected?: string): Promise<CachedToken> {
    const key = scopes.join(' ');
    for (let current = tokens.get(key); current; current = tokens.get(key)) {
      const token = await current;
      if (token.value !== rejected && token.expiresAt > Date.now()) return token;
      // Someone else may have replaced the stale token while we waited: use theirs.
      if (tokens.get(key) === current) break;
    }
    const pending = fetchToken(scopes);
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return pending;
  }

  const withToken = (request: HttpRequest, token: CachedToken): HttpRequest => ({
    ...request,
    headers: { ...request.headers, authorization: `Bearer ${token.value}` },
  });

  return (next) => async (request) => {
    if (request.url.host !== host) return next(request);
    const scopes = normalizeScopes(request.scopes ?? []);
    const token = await tokenFor(scopes);
    const response = await next(withToken(request, token));
    if (response.status !== 401 || !isReplayable(request)) return response;
    const renewed = parseChallenge(header(response, 'www-authenticate'));
    if (renewed?.scheme !== 'bearer') return response;
    discardBody(response);
    challenge = renewed;
    const asked = renewed.params.scope ? renewed.params.scope.split(' ') : [];
    return next(withToken(request, await tokenFor(normalizeScopes([...scopes, ...asked]), token.value)));
  };
}
