import { DockyardError } from '@dockyard/errors';

/**
 * Docker's word processing for instruction arguments (buildkit's shell lexer, without command substitution):
 * quotes group words and are removed, the escape character escapes, `$VAR`, `${VAR}`, `${VAR:-default}` and
 * `${VAR:+alternative}` expand from build variables — except inside single quotes.
 */
export type Variables = ReadonlyMap<string, string>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function expandVariable(text: string, at: number, vars: Variables, escape: string): { value: string; end: number } {
  const next = text[at + 1];
  if (next === '{') {
    const close = findClose(text, at + 2, escape);
    const body = text.slice(at + 2, close);
    const name = NAME.exec(body)?.[0];
    if (!name) throw shellWordError(`bad substitution "\${${body}}"`);
    const rest = body.slice(name.length);
    const value = vars.get(name);
    if (rest === '') return { value: value ?? '', end: close + 1 };
    const modifier = /^(:?[-+])(.*)$/s.exec(rest);
    if (!modifier)
      throw shellWordError(`unsupported modifier in "\${${body}}" (use \${NAME:-default} or \${NAME:+alternative})`);
    const [, op, word] = modifier;
    const set = op!.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    const alternative = processWord(word!, vars, escape);
    if (op!.endsWith('-')) return { value: set ? value! : alternative, end: close + 1 };
    return { value: set ? alternative : '', end: close + 1 };
  }
  const name = NAME.exec(text.slice(at + 1))?.[0];
  if (!name) return { value: '$', end: at + 1 };
  return { value: vars.get(name) ?? '', end: at + 1 + name.length };
}

function findClose(text: string, from: number, escape: string): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === escape) i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw shellWordError(`missing "}" in "${text}"`);
}

/** A word of a Dockerfile instruction that does not parse (unterminated quote, bad ${substitution}). */
function shellWordError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'SHELL_WORDS', cause });
}

function lex(text: string, vars: Variables, escape: string, split: boolean, quotes = true): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quotes && ch === escape && i + 1 < text.length) {
      const escaped = text[++i]!;
      // Inside double quotes the escape only escapes what the shell would: $ " ` and the escape itself.
      if (quote === '"' && !['$', '"', '`', escape].includes(escaped)) word += ch;
      word += escaped;
      inWord = true;
      continue;
    }
    if (ch === '$') {
      const { value, end } = expandVariable(text, i, vars, escape);
      word += value;
      inWord = true;
      i = end - 1;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else word += ch;
      continue;
    }
    if (quotes && (ch === '"' || ch === "'")) {
      quote = ch;
      inWord = true;
      continue;
    }
    if (split && /\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += ch;
    inWord = true;
  }
  if (quote) throw shellWordError(`unterminated ${quote} quote in "${text}"`);
  if (inWord || !split) words.push(word);
  return words;
}

/** Splits into words (quotes removed, variables expanded), like the arguments of COPY or EXPOSE. */
export function processWords(text: string, vars: Variables, escape = '\\'): string[] {
  return lex(text.trim(), vars, escape, true);
}

/** One word with quotes removed and variables expanded, whitespace kept: a value of ENV or LABEL. */
export function processWord(text: string, vars: Variables, escape = '\\'): string {
  return lex(text, vars, escape, false)[0] ?? '';
}

/** Variables expanded, everything else literal: the body of an unquoted heredoc. */
export function expandVariables(text: string, vars: Variables, escape = '\\'): string {
  return lex(text, vars, escape, false, false)[0] ?? '';
}
