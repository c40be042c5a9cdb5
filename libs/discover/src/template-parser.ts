import { actions } from './template-lexer';

/**
 * Go template text as a tree of nodes: text, printed pipelines, and the `if`/`with`/`range`
 * blocks they form. `define`/`block` bodies are kept out of the tree (`definesIn` reads them).
 */

export type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: string; line: number }
  | { type: 'if' | 'with'; branches: { condition?: string; body: Node[] }[]; line: number }
  | { type: 'range'; pipeline: string; line: number }
  | { type: 'define' };

const KEYWORD = /^(if|else if|else with|else|with|range|define|block|end)\b\s*([\s\S]*)$/;

/** `$name := pipeline` or `$name = pipeline`. */
export const ASSIGNMENT = /^(\$[A-Za-z0-9_]+)\s*:?=\s*([\s\S]+)$/;

/** A control action: its keyword (`if`, `else if`, `range`, `end`, ...) and the rest. */
export function controlKeyword(expression: string): { word: string; rest: string } | undefined {
  const match = KEYWORD.exec(expression);
  return match ? { word: match[1], rest: match[2] } : undefined;
}

/** Parses template text into nodes; undefined when its blocks do not balance. */
export function parse(text: string): Node[] | undefined {
  const { items, tail } = actions(text);
  const root: Node[] = [];
  const stack: { node: Node | undefined; body: Node[] }[] = [{ node: undefined, body: root }];
  const top = () => stack[stack.length - 1];
  for (const item of items) {
    if (item.before) top().body.push({ type: 'text', text: item.before });
    const expression = item.expression.trim();
    if (expression.startsWith('/*')) continue;
    const keyword = controlKeyword(expression);
    if (!keyword) {
      top().body.push({ type: 'output', pipeline: expression, line: item.line });
      continue;
    }
    const { word, rest } = keyword;
    if (word === 'if' || word === 'with') {
      const node: Node = { type: word, branches: [{ condition: rest, body: [] }], line: item.line };
      top().body.push(node);
      stack.push({ node, body: node.branches[0].body });
    } else if (word.startsWith('else')) {
      const open = top().node;
      if (!open || (open.type !== 'if' && open.type !== 'with')) return undefined;
      const branch = { condition: word === 'else' ? undefined : rest, body: [] as Node[] };
      open.branches.push(branch);
      top().body = branch.body;
    } else if (word === 'range' || word === 'define' || word === 'block') {
      const node: Node = word === 'range' ? { type: 'range', pipeline: rest, line: item.line } : { type: 'define' };
      top().body.push(node);
      stack.push({ node, body: [] });
    } else {
      if (stack.length === 1) return undefined;
      stack.pop();
    }
  }
  if (tail) top().body.push({ type: 'text', text: tail });
  return stack.length === 1 ? root : undefined;
}

/** The `define`s of a template file, by name. */
export function definesIn(text: string): Map<string, string> {
  const defines = new Map<string, string>();
  const opening = /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}/g;
  for (const match of text.matchAll(opening)) {
    const start = match.index! + match[0].length;
    let depth = 1;
    const blocks = /\{\{-?\s*(if|with|range|define|block|end)\b[^}]*\}\}/g;
    blocks.lastIndex = start;
    for (let m = blocks.exec(text); m; m = blocks.exec(text)) {
      depth += m[1] === 'end' ? -1 : 1;
      if (depth === 0) {
        let body = text.slice(start, m.index);
        if (/-\s*\}\}$/.test(match[0])) body = body.replace(/^\s+/, '');
        if (m[0].startsWith('{{-')) body = body.replace(/\s+$/, '');
        defines.set(match[1], body);
        break;
      }
    }
  }
  return defines;
}

/** `.Values.a.b` / `$.Values.a.b` paths a template text mentions (for `with`/`range` dots, the path of the dot). */
export function mentionedValuesPaths(text: string): string[] {
  return [...text.matchAll(/\$?\.Values((?:\.[A-Za-z0-9_-]+)+)/g)].map((m) => m[1].slice(1));
}
