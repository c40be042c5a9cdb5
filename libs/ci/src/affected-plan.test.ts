import { describe, expect, it } from 'vitest';
import { parseProjectList, planAffected } from './affected-plan';

describe('planAffected', () => {
  it('lists each target once and the union of projects, sorted', async () => {
    const affected: Record<string, string[]> = { validate: ['b', 'a', 'c'], build: ['c'], bundle: [] };
    const asked: string[] = [];
    const plan = await planAffected(['validate', 'build', 'bundle'], 'BASE', 'HEAD', async (target, base, head) => {
      asked.push(`${target} ${base}..${head}`);
      return affected[target]!;
    });
    expect(asked).toEqual(['validate BASE..HEAD', 'build BASE..HEAD', 'bundle BASE..HEAD']);
    expect(plan).toEqual({
      base: 'BASE',
      head: 'HEAD',
      targets: { validate: ['a', 'b', 'c'], build: ['c'], bundle: [] },
      projects: ['a', 'b', 'c'],
    });
  });

  it("reads Nx's JSON line among warnings, and names output that is not a list", () => {
    expect(parseProjectList(' NX   some warning\n["a","b"]\n', 'nx show')).toEqual(['a', 'b']);
    expect(() => parseProjectList('oops', 'nx show projects')).toThrow('nx show projects printed no JSON list');
  });
});
