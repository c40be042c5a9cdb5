import { actions } from './template-lexer';

/**
 * Go template text as a tree of nodes: text, printed pipelines, and the `if`/`with`/`range`
 * blocks they form. `define`/`block` bodies are kept out of the tree (`definesIn` reads them).
 */

export type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: string; line: number }
  | { type: 'if' | 'with'; branches: { condition?: string; body: Node[] }[]; line: number }
  | { type: 'range'; pipeline: string; body: Node[]; line: number }
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
    } else if (word === 'range') {
      const node: Node = { type: 'range', pipeline: rest, body: [], line: item.line };
      top().body.push(node);
      stack.push({ node, body: node.body });
    } else if (word === 'define' || word === 'block') {
      top().body.push({ type: 'define' });
      stack.push({ node: { type: 'define' }, body: [] });
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
  return new Map([...defineSitesIn(text)].map(([name, site]) => [name, site.body]));
}

/** The `define`s of a template file, by name, each with the line its body starts on. */
export function defineSitesIn(text: string): Map<string, { body: string; line: number }> {
  const defines = new Map<string, { body: string; line: number }>();
  let open: { name: string; from: number; trimStart: boolean } | undefined;
  let depth = 0;
  for (const action of actions(text).items) {
    const keyword = controlKeyword(action.expression.trim());
    if (!keyword || keyword.word.startsWith('else')) continue;
    if (keyword.word !== 'end') {
      const name = /^"([^"]+)"/.exec(keyword.rest)?.[1];
      if (depth === 0 && keyword.word === 'define' && name)
        open = { name, from: action.end, trimStart: action.trimRight };
      depth++;
    } else if (--depth === 0 && open) {
      let from = open.from;
      let body = text.slice(from, action.start);
      if (open.trimStart) {
        from += body.length - body.trimStart().length;
        body = body.trimStart();
      }
      if (action.trimLeft) body = body.trimEnd();
      if (!defines.has(open.name)) defines.set(open.name, { body, line: lineAt(text, from) });
      open = undefined;
    }
    depth = Math.max(depth, 0);
  }
  return defines;
}

/** `.Values.a.b` / `$.Values.a.b` paths a template text mentions (for `with`/`range` dots, the path of the dot). */
export function mentionedValuesPaths(text: string): string[] {
  return [...text.matchAll(/\$?\.Values((?:\.[A-Za-z0-9_-]+)+)/g)].map((m) => m[1].slice(1));
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
