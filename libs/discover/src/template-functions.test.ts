import { describe, expect, it } from 'vitest';
import { scalar, type Data } from './template-data';
import { isPureFunction, pureFunction } from './template-functions';

const s = scalar;
const missing: Data = { kind: 'missing' };

describe('pureFunction', () => {
  it('prints with printf, quote, lower and upper, keeping a values path through text functions', () => {
    expect(pureFunction('printf', [s('%s/%s:%d%%'), s('r'), s('a'), s('1')])).toEqual(s('r/a:1%'));
    expect(pureFunction('printf', [s('%q'), s('x')])).toEqual(s('"x"'));
    expect(pureFunction('quote', [{ kind: 'scalar', text: 'v1', path: 'image.tag' }])).toEqual({
      kind: 'scalar',
      text: 'v1',
      path: 'image.tag',
    });
    expect(pureFunction('upper', [s('abc')])).toEqual(s('ABC'));
  });

  it('chooses with default, coalesce, ternary, and, or, with Go template truth', () => {
    expect(pureFunction('default', [s('d'), s('')])).toEqual(s('d'));
    expect(pureFunction('default', [s('d'), s('v')])).toEqual(s('v'));
    expect(pureFunction('coalesce', [missing, s('0'), s('x')])).toEqual(s('x'));
    expect(pureFunction('ternary', [s('a'), s('b'), s('false')])).toEqual(s('b'));
    expect(pureFunction('and', [s('1'), s('')])).toEqual(s(''));
    expect(pureFunction('or', [s(''), s('y')])).toEqual(s('y'));
    expect(pureFunction('eq', [s('a'), s('b'), s('a')])).toEqual(s('true'));
    expect(pureFunction('ne', [s('a'), s('a')])).toEqual(s('false'));
  });

  it('builds dicts and lists, and is undefined for a dict with a key that is not text', () => {
    expect(pureFunction('dict', [s('k'), s('v')])).toEqual({ kind: 'dict', entries: new Map([['k', s('v')]]) });
    expect(pureFunction('dict', [s('k')])).toBeUndefined();
    expect(pureFunction('list', [s('a')])).toEqual({ kind: 'list', items: [s('a')] });
  });

  it('hands Sprig string functions on, and knows which names it has', () => {
    expect(pureFunction('trimPrefix', [s('v'), s('v1.2')])).toEqual(s('1.2'));
    expect(isPureFunction('substr')).toBe(true);
    expect(isPureFunction('include')).toBe(false);
    expect(isPureFunction('lookup')).toBe(false);
  });
});
