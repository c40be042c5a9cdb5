import type { Middleware } from './types';

/** Sends requests for this registry over the scheme its ping settled on (https, or http when allowed). */
export function schemer(host: string, scheme: 'http:' | 'https:'): Middleware {
  return (next) => (request) => {
    if (request.url.host !== host || request.url.protocol === scheme) return next(request);
    const url = new URL(request.url);
    url.protocol = scheme;
    return next({ ...request, url });
  };
}
