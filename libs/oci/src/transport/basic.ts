import type { Credential } from '../auth/credential';
import type { Middleware } from './types';

/** The `Authorization` value for a username and password; the registry and its token service both take it. */
export function basicAuthorization(credential: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

/** Adds HTTP basic auth to requests for this registry host only (never to redirects elsewhere). */
export function basicAuth(host: string, credential: Credential | undefined): Middleware {
  if (!credential || !('username' in credential)) return (next) => next;
  const value = basicAuthorization(credential);
  return (next) => (request) =>
    next(request.url.host === host ? { ...request, headers: { ...request.headers, authorization: value } } : request);
}
