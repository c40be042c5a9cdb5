import { isSprigFunction, sprigFunction } from './sprig-functions';
import { bool, scalar, textOf, textsOf, type Data } from './template-data';
import { joinValuesPath, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

export type { Data } from './template-data';

/**
 * A static evaluator for the subset of Helm's Go templates that image references are built
 * with: `.Values`/`.Chart` paths, variables, `if`/`with`, `include`/`template` of the chart's own
 * `define`s, `tpl` of a values string, and the string functions charts use (`printf`,
 * `default`, `trimPrefix`, `dict`, ...). Whatever it cannot know (`.Release`, `range`, `lookup`)
 * makes the result `undefined`, never a guess.
 */

export interface ChartContext {
  values: Tree | undefined;
  chart: { name: string; appVersion?: string; version?: string };
  /** Every `define` of the chart and its subcharts, by name (Helm shares them across the tree). */
  defines: Map<string, string>;
}

/**
 * What an evaluation read: `.Values` paths, and `x.enabled=true` settings of `enabled: false` maps
 * it passed; and, when it could not finish, the first construct it could not evaluate.
 */
export interface Trace {
  read: Set<string>;
  switches: Set<string>;
  /** The `.Values` paths read that hold `false`. */
  falses: Set<string>;
  cannot?: string;
  /** Present when checking a chart's own validation: the messages of the `fail`s it reached, rendering on past them. */
  failures?: string[];
}

export function newTrace(): Trace {
  return { read: new Set(), switches: new Set(), falses: new Set() };
}

export interface Scope {
  context: ChartContext;
  dot: Data;
  variables: Map<string, Data>;
  trace: Trace;
  /** `include` nesting, to stop recursive defines. */
  depth: number;
}

export function rootScope(context: ChartContext, trace: Trace = newTrace()): Scope {
  return { context, dot: { kind: 'root' }, variables: new Map([['$', { kind: 'root' }]]), trace, depth: 0 };
}

const MAX_INCLUDE_DEPTH = 20;

/** Records what made an evaluation unknown; the first one is the cause, later ones follow from it. */
function cannot(scope: Scope, construct: string): undefined {
  scope.trace.cannot ??= construct;
  return undefined;
}

// ---- text: actions and the blocks they form ---------------------------------------------

type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: string }
  | { type: 'if' | 'with'; branches: { condition?: string; body: Node[] }[] }
  | { type: 'range'; pipeline: string }
  | { type: 'define' };

interface Action {
  before: string;
  expression: string;
  trimLeft: boolean;
  trimRight: boolean;
}

const ACTION = /\{\{(-\s)?\s*([\s\S]*?)\s*(\s-)?\}\}/g;

/** Splits template text into actions with the text before each, applying `{{-` / `-}}` trimming. */
function actions(text: string): { items: Action[]; tail: string } {
  const items: Action[] = [];
  let last = 0;
  for (const match of text.matchAll(ACTION)) {
    items.push({
      before: text.slice(last, match.index),
      expression: match[2],
      trimLeft: Boolean(match[1]),
      trimRight: Boolean(match[3]),
    });
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

const KEYWORD = /^(if|else if|else with|else|with|range|define|block|end)\b\s*([\s\S]*)$/;

/** Parses template text into nodes; undefined when its blocks do not balance. */
function parse(text: string): Node[] | undefined {
  const { items, tail } = actions(text);
  const root: Node[] = [];
  const stack: { node: Node | undefined; body: Node[] }[] = [{ node: undefined, body: root }];
  const top = () => stack[stack.length - 1];
  for (const item of items) {
    if (item.before) top().body.push({ type: 'text', text: item.before });
    const expression = item.expression.trim();
    if (expression.startsWith('/*')) continue;
    const keyword = KEYWORD.exec(expression);
    if (!keyword) {
      top().body.push({ type: 'output', pipeline: expression });
      continue;
    }
    const [, word, rest] = keyword;
    if (word === 'if' || word === 'with') {
      const node: Node = { type: word, branches: [{ condition: rest, body: [] }] };
      top().body.push(node);
      stack.push({ node, body: node.branches[0].body });
    } else if (word.startsWith('else')) {
      const open = top().node;
      if (!open || (open.type !== 'if' && open.type !== 'with')) return undefined;
      const branch = { condition: word === 'else' ? undefined : rest, body: [] as Node[] };
      open.branches.push(branch);
      top().body = branch.body;
    } else if (word === 'range' || word === 'define' || word === 'block') {
      const node: Node = word === 'range' ? { type: 'range', pipeline: rest } : { type: 'define' };
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

/** Renders template text; undefined when any part of it cannot be known statically. */
export function renderTemplate(text: string, scope: Scope): string | undefined {
  const nodes = parse(text);
  return nodes ? renderNodes(nodes, scope) : undefined;
}

function renderNodes(nodes: Node[], scope: Scope): string | undefined {
  let out = '';
  for (const node of nodes) {
    const text = renderNode(node, scope);
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

function renderNode(node: Node, scope: Scope): string | undefined {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'define':
      return '';
    case 'range': {
      const collection = evaluatePipeline(node.pipeline, scope);
      return collection !== undefined && !truthy(collection) ? '' : cannot(scope, `range ${node.pipeline}`);
    }
    case 'output': {
      const assignment = ASSIGNMENT.exec(node.pipeline);
      if (assignment) {
        const value = evaluatePipeline(assignment[2], scope);
        if (value === undefined) return undefined;
        scope.variables.set(assignment[1], value);
        return '';
      }
      const value = evaluatePipeline(node.pipeline, scope);
      return value === undefined
        ? undefined
        : (textOf(value) ?? cannot(scope, `${node.pipeline} (prints a map or list)`));
    }
    case 'if':
    case 'with': {
      for (const branch of node.branches) {
        if (branch.condition === undefined) return renderNodes(branch.body, scope);
        const value = evaluatePipeline(branch.condition, scope);
        if (value === undefined) return undefined;
        if (truthy(value)) return renderNodes(branch.body, node.type === 'with' ? { ...scope, dot: value } : scope);
      }
      return '';
    }
  }
}

export const ASSIGNMENT = /^(\$[A-Za-z0-9_]+)\s*:?=\s*([\s\S]+)$/;

const FALSY = new Set(['', 'false', '0', 'null', '~']);

/** Go template truth, with YAML's `false`/`0`/`null` read as written (values are kept as text). */
export function truthy(value: Data): boolean {
  switch (value.kind) {
    case 'scalar':
      return !FALSY.has(value.text.trim());
    case 'missing':
      return false;
    case 'tree':
      return Array.isArray(value.tree) ? value.tree.length > 0 : Object.keys(value.tree).length > 0;
    case 'dict':
      return value.entries.size > 0;
    case 'list':
      return value.items.length > 0;
    default:
      return true;
  }
}

// ---- pipelines and commands ---------------------------------------------------------------

export function evaluatePipeline(expression: string, scope: Scope): Data | undefined {
  let current: Data | undefined;
  for (const stage of splitOutside(expression, '|')) {
    current = evaluateCommand(tokenize(stage.trim()), scope, current);
    if (current === undefined) return undefined;
  }
  return current;
}

function evaluateCommand(tokens: string[], scope: Scope, piped: Data | undefined): Data | undefined {
  const [head, ...rest] = tokens;
  if (head === undefined) return undefined;
  if (!FUNCTION_NAME.test(head))
    return rest.length === 0 && piped === undefined ? evaluateTerm(head, scope) : undefined;
  const args: Data[] = [];
  for (const token of rest) {
    const value = evaluateTerm(token, scope);
    if (value === undefined) return undefined;
    args.push(value);
  }
  if (piped) args.push(piped);
  return callFunction(head, args, scope);
}

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function callFunction(name: string, args: Data[], scope: Scope): Data | undefined {
  const texts = () => textsOf(args);
  switch (name) {
    case 'true':
    case 'false':
      return args.length === 0 ? scalar(name) : undefined;
    case 'nil':
      return { kind: 'missing' };
    case 'fail': {
      const message = args.length === 1 ? textOf(args[0]) : undefined;
      if (message === undefined) return cannot(scope, 'fail');
      if (!scope.trace.failures) return cannot(scope, `fail ${JSON.stringify(message.trim())}`);
      scope.trace.failures.push(message.replace(/\s+/g, ' ').trim());
      return scalar('');
    }
    case 'default':
      return args.length === 2 ? (truthy(args[1]) ? args[1] : args[0]) : args.length === 1 ? args[0] : undefined;
    case 'coalesce':
      return args.find(truthy) ?? { kind: 'missing' };
    case 'ternary':
      return args.length === 3 ? (truthy(args[2]) ? args[0] : args[1]) : undefined;
    case 'required': {
      if (args.length !== 2) return undefined;
      const empty = args[1].kind === 'missing' || (args[1].kind === 'scalar' && args[1].text === '');
      return empty ? callFunction('fail', [args[0]], scope) : args[1];
    }
    case 'quote':
    case 'squote':
    case 'toString':
    case 'trim':
    case 'toYaml':
    case 'toJson':
    case 'nindent':
    case 'indent':
    case 'lower':
    case 'upper': {
      const subject = args[args.length - 1];
      const text = subject === undefined ? undefined : textOf(subject);
      if (text === undefined) return undefined;
      const changed =
        name === 'trim'
          ? text.trim()
          : name === 'lower'
            ? text.toLowerCase()
            : name === 'upper'
              ? text.toUpperCase()
              : text;
      return { ...(subject.kind === 'scalar' ? subject : {}), kind: 'scalar', text: changed };
    }
    case 'printf': {
      const t = texts();
      if (!t || t.length === 0) return undefined;
      let i = 1;
      return scalar(
        t[0].replace(/%%|%[sdvq]/g, (verb) =>
          verb === '%%' ? '%' : verb === '%q' ? JSON.stringify(t[i++] ?? '') : (t[i++] ?? ''),
        ),
      );
    }
    case 'print': {
      const t = texts();
      return t ? scalar(t.join('')) : undefined;
    }
    case 'not':
      return args.length === 1 ? bool(!truthy(args[0])) : undefined;
    case 'and':
      return args.find((a) => !truthy(a)) ?? args[args.length - 1];
    case 'or':
      return args.find(truthy) ?? args[args.length - 1];
    case 'empty':
      return args.length === 1 ? bool(!truthy(args[0])) : undefined;
    case 'eq':
    case 'ne': {
      const t = texts();
      if (!t || t.length < 2) return undefined;
      const equal = t.slice(1).some((other) => other === t[0]);
      return bool(name === 'eq' ? equal : !equal);
    }
    case 'dict': {
      if (args.length % 2 !== 0) return undefined;
      const entries = new Map<string, Data>();
      for (let i = 0; i < args.length; i += 2) {
        const key = textOf(args[i]);
        if (key === undefined) return undefined;
        entries.set(key, args[i + 1]);
      }
      return { kind: 'dict', entries };
    }
    case 'tuple':
    case 'list':
      return { kind: 'list', items: args };
    case 'get':
    case 'index': {
      const [subject, ...keys] = args;
      let current: Data | undefined = subject;
      for (const key of keys) {
        const k = textOf(key);
        current = k === undefined || current === undefined ? undefined : field(current, k, scope);
      }
      return current;
    }
    case 'hasKey': {
      const key = args[1] && textOf(args[1]);
      if (key === undefined || !args[0]) return undefined;
      const value = field(args[0], key, scope);
      return value === undefined ? undefined : bool(value.kind !== 'missing');
    }
    case 'include':
    case 'template': {
      const defineName = args[0] && textOf(args[0]);
      const body = defineName === undefined ? undefined : scope.context.defines.get(defineName);
      if (defineName === undefined) return cannot(scope, `${name} of a name not known statically`);
      if (body === undefined)
        return cannot(scope, `${name} "${defineName}" (no such define in the chart or its subcharts)`);
      if (scope.depth >= MAX_INCLUDE_DEPTH) return cannot(scope, `${name} "${defineName}" (recursive)`);
      const inner: Scope = {
        ...scope,
        dot: args[1] ?? { kind: 'missing' },
        variables: new Map([['$', { kind: 'root' }]]),
        depth: scope.depth + 1,
      };
      const text = renderTemplate(body, inner);
      return text === undefined ? undefined : scalar(text);
    }
    case 'tpl': {
      const source = args[0] && textOf(args[0]);
      if (source === undefined) return undefined;
      const text = renderTemplate(source, {
        ...scope,
        dot: args[1] ?? { kind: 'root' },
        variables: new Map([['$', { kind: 'root' }]]),
        depth: scope.depth + 1,
      });
      return text === undefined ? undefined : scalar(text);
    }
    default: {
      if (!isSprigFunction(name)) return cannot(scope, `function ${name}`);
      return sprigFunction(name, args) ?? cannot(scope, `${name} of a value not known statically`);
    }
  }
}

// ---- terms and field access ---------------------------------------------------------------

function evaluateTerm(token: string, scope: Scope): Data | undefined {
  if (token.startsWith('"')) {
    try {
      return scalar(JSON.parse(token) as string);
    } catch {
      return undefined;
    }
  }
  if (token.startsWith('`') && token.endsWith('`')) return scalar(token.slice(1, -1));
  if (/^-?\d+(\.\d+)?$/.test(token)) return scalar(token);
  if (token === 'true' || token === 'false') return scalar(token);
  if (token === 'nil') return { kind: 'missing' };
  if (token.startsWith('(')) {
    const close = matchingParen(token);
    if (close < 0) return undefined;
    const inner = evaluatePipeline(token.slice(1, close), scope);
    const fields = token.slice(close + 1);
    return inner === undefined ? undefined : fields === '' ? inner : followFields(inner, fields, scope);
  }
  if (token === '.') return scope.dot;
  if (token.startsWith('.')) return followFields(scope.dot, token, scope);
  if (token.startsWith('$')) {
    const variable = /^\$[A-Za-z0-9_]*/.exec(token)![0];
    const value = scope.variables.get(variable);
    return value === undefined ? undefined : followFields(value, token.slice(variable.length), scope);
  }
  if (FUNCTION_NAME.test(token)) return callFunction(token, [], scope);
  return undefined;
}

function followFields(start: Data, fields: string, scope: Scope): Data | undefined {
  if (fields === '') return start;
  if (!/^(\.[A-Za-z0-9_-]+)+$/.test(fields)) return undefined;
  let current: Data | undefined = start;
  for (const name of fields.slice(1).split('.')) {
    if (current === undefined) return undefined;
    current = field(current, name, scope);
  }
  if (current && 'path' in current && current.path !== undefined && current.kind !== 'unknown') {
    scope.trace.read.add(current.path);
    if (current.kind === 'scalar' && current.text === 'false') scope.trace.falses.add(current.path);
  }
  return current;
}

function field(value: Data, name: string, scope: Scope): Data | undefined {
  switch (value.kind) {
    case 'root':
      if (name === 'Values') return fromTree(scope.context.values, '');
      if (name === 'Chart') return { kind: 'chart' };
      return cannot(scope, `.${name}`);
    case 'chart': {
      const { chart } = scope.context;
      if (name === 'AppVersion') return scalar(chart.appVersion ?? '');
      if (name === 'Name') return scalar(chart.name);
      if (name === 'Version' && chart.version !== undefined) return scalar(chart.version);
      return undefined;
    }
    case 'dict':
      return value.entries.get(name) ?? { kind: 'missing' };
    case 'list':
      return /^\d+$/.test(name) ? value.items[Number(name)] : undefined;
    case 'missing':
      return { kind: 'missing', path: value.path === undefined ? undefined : joinValuesPath(value.path, name) };
    case 'tree': {
      if (Array.isArray(value.tree))
        return /^\d+$/.test(name)
          ? fromTree(value.tree[Number(name)], value.path === undefined ? undefined : `${value.path}[${name}]`)
          : undefined;
      if (name !== 'enabled' && leafText(value.tree, 'enabled') === 'false' && value.path !== undefined) {
        scope.trace.switches.add(`${joinValuesPath(value.path, 'enabled')}=true`);
      }
      return fromTree(value.tree[name], value.path === undefined ? undefined : joinValuesPath(value.path, name));
    }
    default:
      return undefined;
  }
}

function fromTree(tree: Tree | undefined, path: string | undefined): Data {
  if (tree === undefined) return { kind: 'missing', path };
  if (tree instanceof Leaf) {
    const text = tree.text.trim();
    return text === 'null' || text === '~' ? { kind: 'missing', path } : { kind: 'scalar', text, path };
  }
  return { kind: 'tree', tree: tree as TreeMap | Tree[], path };
}

// ---- lexing -------------------------------------------------------------------------------

function matchingParen(token: string): number {
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

function splitOutside(text: string, separator: string): string[] {
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

/** `.Values.a.b` / `$.Values.a.b` paths a template text mentions (for `with`/`range` dots, the path of the dot). */
export function mentionedValuesPaths(text: string): string[] {
  return [...text.matchAll(/\$?\.Values((?:\.[A-Za-z0-9_-]+)+)/g)].map((m) => m[1].slice(1));
}
