import { describe, expect, it } from 'vitest';
import { medianSeconds, shardProjects } from './shard';

describe('shardProjects', () => {
  it('balances by last run times, longest first, and covers every project once', () => {
    const times = new Map([
      ['a', 60],
      ['b', 50],
      ['c', 40],
      ['d', 30],
      ['e', 20],
      ['f', 10],
    ]);
    const shards = shardProjects(['f', 'e', 'd', 'c', 'b', 'a'], 2, times);
    expect(shards.map((s) => s.seconds)).toEqual([110, 100]);
    expect(shards.flatMap((s) => s.projects).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // Deterministic: the input order does not matter.
    expect(shardProjects(['a', 'b', 'c', 'd', 'e', 'f'], 2, times)).toEqual(shards);
  });

  it('gives projects that never ran the median time', () => {
    const times = new Map([
      ['slow', 100],
      ['mid', 10],
      ['fast', 2],
    ]);
    expect(medianSeconds(times)).toBe(10);
    const shards = shardProjects(['slow', 'new-1', 'new-2', 'mid'], 2, times);
    expect(shards).toEqual([
      { index: 1, projects: ['slow'], seconds: 100 },
      { index: 2, projects: ['mid', 'new-1', 'new-2'], seconds: 30 },
    ]);
  });

  it('makes no empty shards and refuses a count that is not a whole number', () => {
    expect(shardProjects(['a'], 4, new Map())).toEqual([{ index: 1, projects: ['a'], seconds: 1 }]);
    expect(shardProjects([], 3, new Map())).toEqual([]);
    expect(() => shardProjects(['a'], 0, new Map())).toThrow('whole number');
  });
});
