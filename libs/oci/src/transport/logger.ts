import type { Middleware } from './types';

export type DebugLog = (line: string) => void;

/** Logs method, URL path and status; never headers or query strings, which may carry credentials. */
export function logger(log: DebugLog | undefined): Middleware {
  // Without a log there is nothing to wrap: one layer less on every request.
  if (!log) return (next) => next;
  return (next) => async (request) => {
    const started = Date.now();
    const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
    try {
      const response = await next(request);
      log(`${target} → ${response.status} (${Date.now() - started} ms)`);
      return response;
    } catch (err) {
      log(`${target} → ${(err as Error).message}`);
      throw err;
    }
  };
}
