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
}

const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;

/** Splits template text into actions with the text before each, applying `{{-` / `-}}` trimming. */
export function actions(text: string): { items: Action[]; tail: string } {
  const items: Action[] = [];
  let last = 0;
  let line = 1;
  for (const match of text.matchAll(ACTION)) {
    const before = text.slice(last, match.index);
    line += countNewlines(before);
    items.push({ before, expression: match[2], trimLeft: Boolean(match[1]), trimRight: Boolean(match[3]), line });
    line += countNewlines(match[0]);
    last = match.index! + match[0].length;
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

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The index of the `)` closing the `(` at the start of `token`, or -1. */
export function matchingParen(token: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if (c === '"' && token[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth === 0) return i;
  }
  return -1;
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
    if (command[i] === '"') {
      j++;
      while (j < command.length && command[j] !== '"') j += command[j] === '\\' ? 2 : 1;
      j++;
    } else if (command[i] === '`') {
      j = command.indexOf('`', i + 1) + 1 || command.length;
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
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
