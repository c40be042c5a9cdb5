import type { Middleware } from './types';

export function userAgent(value: string): Middleware {
  return (next) => (request) => next({ ...request, headers: { 'user-agent': value, ...request.headers } });
}
