import { isSprigFunction } from './sprig-functions';
import { scalar, textOf, truthy, type Data } from './template-data';
import { isPureFunction, pureFunction } from './template-functions';
import { splitOutside, matchingParen, tokenize } from './template-lexer';
import { ASSIGNMENT, parse, type Node } from './template-parser';
import { joinValuesPath, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

export type { Data } from './template-data';

/**
 * A static evaluator for the subset of Helm's Go templates that image references are built
 * with: `.Values`/`.Chart` paths, variables, `if`/`with`, `include`/`template` of the chart's own
 * `define`s, `tpl` of a values string, and the functions of template-functions.ts. Whatever it
 * cannot know (`.Release`, `range`, `lookup`) makes the result `undefined`, never a guess.
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

// ---- text: nodes rendered in order ---------------------------------------------------------

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
    case 'output':
      return renderOutput(node.pipeline, scope);
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

function renderOutput(pipeline: string, scope: Scope): string | undefined {
  const assignment = ASSIGNMENT.exec(pipeline);
  if (assignment) {
    const value = evaluatePipeline(assignment[2], scope);
    if (value === undefined) return undefined;
    scope.variables.set(assignment[1], value);
    return '';
  }
  const value = evaluatePipeline(pipeline, scope);
  return value === undefined ? undefined : (textOf(value) ?? cannot(scope, `${pipeline} (prints a map or list)`));
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

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

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

function callFunction(name: string, args: Data[], scope: Scope): Data | undefined {
  switch (name) {
    case 'fail':
      return fail(args, scope);
    case 'required': {
      if (args.length !== 2) return undefined;
      const empty = args[1].kind === 'missing' || (args[1].kind === 'scalar' && args[1].text === '');
      return empty ? fail([args[0]], scope) : args[1];
    }
    case 'get':
    case 'index':
      return indexOf(args, scope);
    case 'hasKey': {
      const key = args[1] && textOf(args[1]);
      if (key === undefined || !args[0]) return undefined;
      const value = field(args[0], key, scope);
      return value === undefined ? undefined : { kind: 'scalar', text: String(value.kind !== 'missing') };
    }
    case 'include':
    case 'template':
      return include(name, args, scope);
    case 'tpl':
      return tpl(args, scope);
    default: {
      if (!isPureFunction(name)) return cannot(scope, `function ${name}`);
      const result = pureFunction(name, args);
      return result === undefined && isSprigFunction(name)
        ? cannot(scope, `${name} of a value not known statically`)
        : result;
    }
  }
}

/** A chart's `fail`: unknown, or when checking its validation, recorded and rendered past. */
function fail(args: Data[], scope: Scope): Data | undefined {
  const message = args.length === 1 ? textOf(args[0]) : undefined;
  if (message === undefined) return cannot(scope, 'fail');
  if (!scope.trace.failures) return cannot(scope, `fail ${JSON.stringify(message.trim())}`);
  scope.trace.failures.push(message.replace(/\s+/g, ' ').trim());
  return scalar('');
}

function indexOf(args: Data[], scope: Scope): Data | undefined {
  const [subject, ...keys] = args;
  let current: Data | undefined = subject;
  for (const key of keys) {
    const k = textOf(key);
    current = k === undefined || current === undefined ? undefined : field(current, k, scope);
  }
  return current;
}

function include(name: string, args: Data[], scope: Scope): Data | undefined {
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

function tpl(args: Data[], scope: Scope): Data | undefined {
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
    case 'tree':
      return treeField(value, name, scope);
    default:
      return undefined;
  }
}

function treeField(value: Data & { kind: 'tree' }, name: string, scope: Scope): Data | undefined {
  if (Array.isArray(value.tree))
    return /^\d+$/.test(name)
      ? fromTree(value.tree[Number(name)], value.path === undefined ? undefined : `${value.path}[${name}]`)
      : undefined;
  if (name !== 'enabled' && leafText(value.tree, 'enabled') === 'false' && value.path !== undefined) {
    scope.trace.switches.add(`${joinValuesPath(value.path, 'enabled')}=true`);
  }
  return fromTree(value.tree[name], value.path === undefined ? undefined : joinValuesPath(value.path, name));
}

function fromTree(tree: Tree | undefined, path: string | undefined): Data {
  if (tree === undefined) return { kind: 'missing', path };
  if (tree instanceof Leaf) {
    const text = tree.text.trim();
    return text === 'null' || text === '~' ? { kind: 'missing', path } : { kind: 'scalar', text, path };
  }
  return { kind: 'tree', tree: tree as TreeMap | Tree[], path };
}
