import type { Credential } from '../auth/credentials';
import { RegistryError } from '../remote/errors';
import { parseChallenge, type Challenge } from './challenge';
import { discardBody, header, isReplayable, readBody, type Middleware, type Transport } from './types';

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
 * The distribution token flow: ask the realm for a token covering the request's scopes
 * (several scopes in one request), cache it until shortly before it expires, and fetch a new
 * one when the registry answers 401 with a wider challenge.
 */
export function bearerAuth(host: string, initial: Challenge, credential: Credential | undefined, tokenTransport: Transport): Middleware {
  const tokens = new Map<string, Promise<CachedToken>>();
  let challenge = initial;

  async function fetchToken(scopes: string[]): Promise<CachedToken> {
    const realm = challenge.params.realm;
    if (!realm) throw new Error(`${host}: the registry asked for a bearer token but named no realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential && 'username' in credential) {
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
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
        hint: response.status === 401 ? `check the credentials configured for ${host}` : undefined,
      });
    }
    const body = JSON.parse((await readBody(response)).toString('utf8')) as TokenResponse;
    const value = body.token ?? body.access_token;
    if (!value) throw new Error(`${host}: token service answered without "token" or "access_token"`);
    const lifetime = Math.max(body.expires_in ?? 60, 60) * 1000;
    return { value, expiresAt: Date.now() + lifetime - 10_000 };
  }

  function tokenFor(scopes: string[]): Promise<CachedToken> {
    const key = [...scopes].sort().join(' ');
    const cached = tokens.get(key);
    if (cached) {
      return cached.then((token) => (token.expiresAt > Date.now() ? token : refresh()), () => refresh());
    }
    return refresh();
    function refresh(): Promise<CachedToken> {
      const pending = fetchToken(scopes);
      tokens.set(key, pending);
      pending.catch(() => tokens.delete(key));
      return pending;
    }
  }

  return (next) => async (request) => {
    if (request.url.host !== host) return next(request);
    const scopes = request.scopes ?? [];
    const send = async (extraScopes: string[]) => {
      const token = await tokenFor([...new Set([...scopes, ...extraScopes])]);
      return next({ ...request, headers: { ...request.headers, authorization: `Bearer ${token.value}` } });
    };
    const response = await send([]);
    if (response.status !== 401 || !isReplayable(request)) return response;
    const renewed = parseChallenge(header(response, 'www-authenticate'));
    if (renewed?.scheme !== 'bearer') return response;
    discardBody(response);
    challenge = renewed;
    const asked = renewed.params.scope ? renewed.params.scope.split(' ') : [];
    tokens.clear();
    return send(asked);
  };
}
