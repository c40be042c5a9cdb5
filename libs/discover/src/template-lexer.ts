/**
 * The lexical layer of Go templates: actions (`{{ ... }}`) with the text between them, and the
 * words and pipeline stages of an action. No meaning is given to anything here.
 */

export interface Action {
  before: string;
  expression: string;
  trimLeft: boolean;
  trimRight: boolean;
  /** 1-based line of the action's `{{` in the text it was cut from. */
  line: number;
  /** Where the action (`{{` to `}}`) starts and ends in that text. */
  start: number;
  end: number;
}

/** Splits template text into actions with the text before each, applying `{{-` / `-}}` trimming. */
export function actions(text: string): { items: Action[]; tail: string } {
  const items: Action[] = [];
  let last = 0;
  let line = 1;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', last)) {
    const close = closingBraces(text, open + 2);
    if (close < 0) break;
    const before = text.slice(last, open);
    line += countNewlines(before);
    const inner = text.slice(open + 2, close);
    const trimLeft = /^-\s/.test(inner);
    const trimRight = /\s-$/.test(inner);
    const expression = inner.slice(trimLeft ? 1 : 0, trimRight ? -1 : undefined).trim();
    items.push({ before, expression, trimLeft, trimRight, line, start: open, end: close + 2 });
    line += countNewlines(text.slice(open, close + 2));
    last = close + 2;
  }
  let tail = text.slice(last);
  items.forEach((item, i) => {
    if (item.trimLeft) item.before = item.before.replace(/\s+$/, '');
    if (item.trimRight) {
      if (i + 1 < items.length) items[i + 1].before = items[i + 1].before.replace(/^\s+/, '');
      else tail = tail.replace(/^\s+/, '');
    }
  });
  return { items, tail };
}

/** The index of the `}}` that ends an action whose inside starts at `from`: strings and comments in it may hold braces. */
function closingBraces(text: string, from: number): number {
  const comment = /^(-\s+)?\s*\/\*/.exec(text.slice(from, from + 40));
  if (comment) {
    const end = text.indexOf('*/', from + comment[0].length);
    return end < 0 ? -1 : text.indexOf('}}', end + 2);
  }
  for (let i = from; i < text.length; i = afterString(text, i) ?? i + 1) {
    if (text[i] === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The index of the `)` closing the `(` at the start of `token`, or -1. */
export function matchingParen(token: string): number {
  let depth = 0;
  for (let i = 0; i < token.length; i = afterString(token, i) ?? i + 1) {
    const c = token[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** At a `"` or `` ` ``, the index just after the string it opens (escapes read in `"` strings); else undefined. */
function afterString(text: string, i: number): number | undefined {
  if (text[i] === '`') {
    const close = text.indexOf('`', i + 1);
    return close < 0 ? text.length : close + 1;
  }
  if (text[i] !== '"') return undefined;
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Command words: quoted strings, parenthesised pipelines (with any `.field` after them), the rest split on spaces. */
export function tokenize(command: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (/\s/.test(command[i])) {
      i++;
      continue;
    }
    let j = i;
    const string = afterString(command, i);
    if (string !== undefined) {
      j = string;
    } else if (command[i] === '(') {
      const close = matchingParen(command.slice(i));
      j = close < 0 ? command.length : i + close + 1;
      while (j < command.length && /[.A-Za-z0-9_-]/.test(command[j])) j++;
    } else {
      while (j < command.length && !/\s/.test(command[j])) j++;
    }
    tokens.push(command.slice(i, j));
    i = j;
  }
  return tokens;
}

/** The stages of a pipeline: `text` split on `separator` outside quotes and parentheses. */
export function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i = afterString(text, i) ?? i + 1) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
