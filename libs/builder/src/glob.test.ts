import { describe, expect, it } from 'vitest';
import { compileGlob, hasGlob } from './glob';

function matches(pattern: string, name: string): boolean {
  const [first] = compileGlob(pattern);
  return first!.any || first!.test(name);
}

describe('COPY source patterns', () => {
  it('matches one segment like Go filepath.Match', () => {
    expect(matches('*.yaml', 'a.yaml')).toBe(true);
    expect(matches('*.yaml', 'a.yml')).toBe(false);
    expect(matches('file?.txt', 'file1.txt')).toBe(true);
    expect(matches('[a-c]x', 'bx')).toBe(true);
    expect(matches('[^a-c]x', 'bx')).toBe(false);
    expect(matches('\\*', '*')).toBe(true);
    expect(matches('\\*', 'a')).toBe(false);
  });

  it('splits into segments, a whole ** segment matching any depth', () => {
    const segments = compileGlob('charts/**/values.yaml');
    expect(segments.map((s) => s.any)).toEqual([false, true, false]);
    expect(hasGlob('charts/a.tgz')).toBe(false);
    expect(hasGlob('charts/*.tgz')).toBe(true);
  });
});
