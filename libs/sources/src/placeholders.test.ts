import { describe, expect, it } from 'vitest';
import { substitutePlaceholders } from './placeholders';

describe('substitutePlaceholders', () => {
  const lookup = (name: string, arg?: string) =>
    name === 'registry_release'
      ? { value: 'harbor.local/release' }
      : name === 'TagOfRepo' && arg === 'charts'
        ? { value: 'v1.2.0' }
        : { error: 'unknown placeholder', hint: 'define it' };

  it('substitutes names and function forms, leaving TOML tables alone', () => {
    const text = 'image: [[ registry_release ]]/app:[[ TagOfRepo(charts) ]]\n[[plugins]]\n';
    expect(substitutePlaceholders(text, lookup)).toEqual({
      text: 'image: harbor.local/release/app:v1.2.0\n[[plugins]]\n',
      issues: [],
    });
  });

  it('reports unknown placeholders with their line', () => {
    const { issues } = substitutePlaceholders('a: 1\nb: [[ nope ]]\n', lookup);
    expect(issues).toEqual([{ line: 2, placeholder: '[[ nope ]]', message: 'unknown placeholder', hint: 'define it' }]);
  });
});
