import type { Credential } from '../auth/credentials';
import type { Middleware } from './types';

/** Adds HTTP basic auth to requests for this registry host only (never to redirects elsewhere). */
export function basicAuth(host: string, credential: Credential | undefined): Middleware {
  if (!credential || !('username' in credential)) return (next) => next;
  const value = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
  return (next) => (request) =>
    next(request.url.host === host ? { ...request, headers: { ...request.headers, authorization: value } } : request);
}
