import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors';
import { NetworkError } from './http';
import { AttemptBudget, backoffMs, isTemporary, retryAfterMs } from './retry';

describe('retry timing', () => {
  it('honours Retry-After in seconds, capped', () => {
    expect(retryAfterMs('3', 30_000)).toBe(3000);
    expect(retryAfterMs('3600', 30_000)).toBe(30_000);
    expect(retryAfterMs(undefined, 30_000)).toBeUndefined();
  });

  it('honours Retry-After as an HTTP date: the time until then, capped, never negative', () => {
    // HTTP dates have whole seconds, so "in 5 s" reads as a little over 4 s to 5 s.
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    const wait = retryAfterMs(inFiveSeconds, 30_000)!;
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(5000);
    expect(retryAfterMs(new Date(Date.now() + 3_600_000).toUTCString(), 30_000)).toBe(30_000);
    expect(retryAfterMs(new Date(Date.now() - 60_000).toUTCString(), 30_000)).toBe(0);
    expect(retryAfterMs('not a date', 30_000)).toBeUndefined();
  });

  it('backs off exponentially inside [ceiling/2, ceiling]', () => {
    const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    for (const [attempt, ceiling] of [
      [0, 100],
      [2, 400],
      [5, 1000],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const delay = backoffMs(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('jitters: parallel transfers retrying the same attempt spread over the window', () => {
    const policy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000 };
    const delays = Array.from({ length: 200 }, () => backoffMs(3, policy));
    // Window [4000, 8000]: a fixed delay (no jitter) would give one value; spread needs many distinct
    // values reaching both quarters of the window.
    expect(new Set(delays.map((d) => Math.round(d))).size).toBeGreaterThan(150);
    expect(delays.some((d) => d < 5000)).toBe(true);
    expect(delays.some((d) => d > 7000)).toBe(true);
  });
});

describe('isTemporary', () => {
  const answer = (status: number, codes: string[] = []) =>
    new RegistryError({ status, url: new URL('http://r.example/v2/x'), message: 'm', codes });

  it('retries what can change: 5xx, 408, 429, network errors, damaged uploads', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isTemporary(answer(status)), String(status)).toBe(true);
    expect(isTemporary(answer(400, ['DIGEST_INVALID']))).toBe(true);
    expect(isTemporary(new NetworkError(new URL('http://r.example/v2/'), new Error('ECONNREFUSED')))).toBe(true);
    expect(isTemporary(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('never retries facts: 404, 401, 403, a missing file, an unknown error', () => {
    for (const status of [400, 401, 403, 404]) expect(isTemporary(answer(status)), String(status)).toBe(false);
    expect(isTemporary(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isTemporary(new Error('something else'))).toBe(false);
  });
});

describe('AttemptBudget', () => {
  it("hands out exactly the policy's attempts, however many layers ask", () => {
    const budget = new AttemptBudget({ attempts: 3, baseDelayMs: 1, maxDelayMs: 1 });
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    expect(budget.spent).toBe(3);
    expect(budget.exhausted).toBe(true);
  });
});
