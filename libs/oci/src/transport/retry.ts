import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkError } from './http';
import { discardBody, header, isReplayable, type Middleware } from './types';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Retry-After as seconds or an HTTP date, capped so a hostile value cannot park a run. */
export function retryAfterMs(value: string | undefined, cap: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), cap) : undefined;
}

/** Exponential backoff with full jitter: spreads retries of many parallel transfers apart. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Retries replayable requests on network errors, 5xx, 408 and 429 (honouring Retry-After). */
export function retry(policy: RetryPolicy = DEFAULT_RETRY): Middleware {
  return (next) => async (request) => {
    if (!isReplayable(request)) return next(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= policy.attempts;
      try {
        const response = await next(request);
        if (last || !RETRY_STATUS.has(response.status)) return response;
        discardBody(response);
        await sleep(retryAfterMs(header(response, 'retry-after'), policy.maxDelayMs) ?? backoffMs(attempt, policy));
      } catch (err) {
        if (last || !(err instanceof NetworkError)) throw err;
        await sleep(backoffMs(attempt, policy));
      }
    }
  };
}
