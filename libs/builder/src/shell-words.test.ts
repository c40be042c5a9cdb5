import { describe, expect, it } from 'vitest';
import { expandVariables, processWord, processWords } from './shell-words';

const vars = new Map([
  ['ARCH', 'arm64'],
  ['EMPTY', ''],
]);

describe('shell words', () => {
  it('splits on blanks, removes quotes and expands variables outside single quotes', () => {
    expect(processWords(`a "b c" 'd $ARCH' e$ARCH \${ARCH}x`, vars)).toEqual([
      'a',
      'b c',
      'd $ARCH',
      'earm64',
      'arm64x',
    ]);
  });

  it('applies :- and :+ like the shell, telling unset from empty', () => {
    expect(processWords('${MISSING:-def} ${EMPTY:-def} ${EMPTY-def} ${ARCH:+yes} ${MISSING:+yes}x', vars)).toEqual([
      'def',
      'def',
      '',
      'yes',
      'x',
    ]);
  });

  it('keeps an escaped blank or dollar literal, and whitespace inside a single word', () => {
    expect(processWords('a\\ b \\$ARCH', vars)).toEqual(['a b', '$ARCH']);
    expect(processWord('"two  words" $ARCH', vars)).toBe('two  words arm64');
  });

  it('honours a backtick escape character from the parser directive', () => {
    expect(processWords('C:`\\x a`$b', vars, '`')).toEqual(['C:\\x', 'a$b']);
  });

  it('expands only variables in heredoc bodies, quotes and escapes kept', () => {
    expect(expandVariables(`echo "$ARCH" 'x' \\n\n`, vars)).toBe(`echo "arm64" 'x' \\n\n`);
  });

  it('refuses an unterminated quote', () => {
    expect(() => processWords('"open', vars)).toThrow(/unterminated " quote/);
  });
});
