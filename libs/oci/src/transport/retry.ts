import { setTimeout as sleep } from 'node:timers/promises';
import { DigestMismatchError, SizeMismatchError } from '../digest';
import { InterruptedBodyError, RegistryError } from './errors';
import { NetworkError } from './http';
import { discardBody, header, isReplayable, type Middleware } from './types';

export interface RetryPolicy {
  /** Attempts in all, the first included: 3 means one try and at most two retries. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

const TEMPORARY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** A registry refusing an upload because the bytes arrived damaged: sending them again can succeed. */
const TEMPORARY_CODES = new Set(['DIGEST_INVALID', 'BLOB_UPLOAD_INVALID']);
const TEMPORARY_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function isTemporaryStatus(status: number): boolean {
  return TEMPORARY_STATUS.has(status);
}

/**
 * The one answer to "may trying again help?", used by every layer that retries (the request
 * middleware, resumed blob reads, the copy scheduler). Never for 404, 401 or 403: those are facts
 * about the name or the credentials, and asking again only delays the error.
 */
export function isTemporary(err: unknown): boolean {
  if (err instanceof NetworkError || err instanceof InterruptedBodyError) return true;
  if (err instanceof RegistryError)
    return isTemporaryStatus(err.status) || err.codes.some((code) => TEMPORARY_CODES.has(code));
  // Bytes damaged in transit: a fresh read can be whole.
  if (err instanceof DigestMismatchError || err instanceof SizeMismatchError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && TEMPORARY_SOCKET_CODES.has(code);
}

/** Retry-After as seconds or an HTTP date, capped so a hostile value cannot park a run. */
export function retryAfterMs(value: string | undefined, cap: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), cap) : undefined;
}

/** Exponential backoff with jitter in [ceiling/2, ceiling]: spreads retries of many parallel transfers apart. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * The attempts of one operation, shared by every layer that retries part of it (a blob transfer's
 * reads, resumes and writes), so nested retries add up to the policy's count instead of multiplying.
 */
export class AttemptBudget {
  private used = 0;
  constructor(readonly policy: RetryPolicy) {}

  /** Counts one attempt; false when none is left. */
  take(): boolean {
    if (this.used >= this.policy.attempts) return false;
    this.used++;
    return true;
  }

  get spent(): number {
    return this.used;
  }

  get exhausted(): boolean {
    return this.used >= this.policy.attempts;
  }

  /** The pause before the next attempt. */
  backoff(): number {
    return backoffMs(Math.max(this.used - 1, 0), this.policy);
  }
}

/**
 * Retries replayable requests whose failure is temporary (network errors, 5xx, 408, 429 honouring
 * Retry-After). Requests marked `retriedByCaller` pass through once: an outer layer owns their attempts.
 */
export function retry(policy: RetryPolicy = DEFAULT_RETRY): Middleware {
  return (next) => async (request) => {
    if (!isReplayable(request) || request.retriedByCaller) return next(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= policy.attempts;
      try {
        const response = await next(request);
        if (last || !isTemporaryStatus(response.status)) return response;
        discardBody(response);
        await sleep(retryAfterMs(header(response, 'retry-after'), policy.maxDelayMs) ?? backoffMs(attempt, policy));
      } catch (err) {
        if (last || !isTemporary(err)) throw err;
        await sleep(backoffMs(attempt, policy));
      }
    }
  };
}
