import { describe, expect, it } from 'vitest';
import { EndpointLimits } from './limiter';

/** A job that stays running until `finish()` is called, recording how many run at once. */
function gate(counter: { now: number; max: number }) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const job = async () => {
    counter.now++;
    counter.max = Math.max(counter.max, counter.now);
    await done;
    counter.now--;
  };
  return { job, finish };
}

describe('EndpointLimits', () => {
  it('runs at most N jobs per endpoint, and a job holding two endpoints counts against both', async () => {
    const limits = new EndpointLimits(2);
    const counter = { now: 0, max: 0 };
    const gates = [gate(counter), gate(counter), gate(counter)];
    const runs = gates.map((g, i) => limits.run(i === 2 ? ['b', 'a'] : ['a'], g.job));
    await new Promise((resolve) => setImmediate(resolve));
    expect(counter.now).toBe(2);
    gates[0]!.finish();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(counter.now).toBe(2);
    gates.forEach((g) => g.finish());
    await Promise.all(runs);
    expect(counter.max).toBe(2);
  });

  it('releases its places when a job fails', async () => {
    const limits = new EndpointLimits(1);
    await expect(limits.run(['a'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limits.run(['a'], async () => 'next')).resolves.toBe('next');
  });
});
