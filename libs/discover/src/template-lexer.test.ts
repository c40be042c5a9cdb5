import { describe, expect, it } from 'vitest';
import { actions, splitOutside, tokenize } from './template-lexer';

describe('actions', () => {
  it('cuts text into actions with the text before each, trimming at {{- and -}}, and the line of each', () => {
    const { items, tail } = actions('a: {{ .x }}\nb:  {{- .y -}}  \nc{{/* note */}}end\n');
    expect(items.map((i) => [i.before, i.expression, i.line])).toEqual([
      ['a: ', '.x', 1],
      ['\nb:', '.y', 2],
      ['c', '/* note */', 3],
    ]);
    expect(tail).toBe('end\n');
  });
});

describe('tokenize', () => {
  it('keeps quoted strings, raw strings and parenthesised pipelines with their fields as one word', () => {
    expect(tokenize('printf "%s:%s" (include "x" .).a `raw text` $v.b')).toEqual([
      'printf',
      '"%s:%s"',
      '(include "x" .).a',
      '`raw text`',
      '$v.b',
    ]);
    expect(tokenize('eq "a \\" b" .x')).toEqual(['eq', '"a \\" b"', '.x']);
    expect(tokenize('list `trap "exit 0" TERM; (x` (printf "\\\\" `)`)')).toEqual([
      'list',
      '`trap "exit 0" TERM; (x`',
      '(printf "\\\\" `)`)',
    ]);
  });
});

describe('splitOutside', () => {
  it('splits a pipeline on | outside quotes and parentheses', () => {
    expect(splitOutside('.a | default (b | c) | quote "|"', '|')).toEqual(['.a ', ' default (b | c) ', ' quote "|"']);
  });
});
