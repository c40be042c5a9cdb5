import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from './retry';

describe('retry timing', () => {
  it('honours Retry-After in seconds and as a date, capped', () => {
    expect(retryAfterMs('3', 30_000)).toBe(3000);
    expect(retryAfterMs('3600', 30_000)).toBe(30_000);
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterMs(inTwoSeconds, 30_000)).toBeLessThanOrEqual(2000);
    expect(retryAfterMs(undefined, 30_000)).toBeUndefined();
  });

  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    for (const [attempt, ceiling] of [[0, 100], [2, 400], [5, 1000]] as const) {
      const delay = backoffMs(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
