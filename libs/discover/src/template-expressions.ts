import { isSprigFunction } from './sprig-functions';
import { joinPieces, scalar, textOf, truthy, type Data } from './template-data';
import { isPureFunction, pureFunction } from './template-functions';
import { matchingParen, splitOutside, tokenize } from './template-lexer';
import { cannot, unknownHere, type ChartContext, type Scope } from './template-scope';
import { fromTreeDeep } from './template-structures';
import { joinValuesPath, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

/**
 * Go template expressions: pipelines, commands, function calls (`include` and `tpl` render through
 * the scope's `render`), terms, and field access on values, `.Chart` and `.Subcharts`.
 */

const MAX_INCLUDE_DEPTH = 60;

export function evaluatePipeline(expression: string, scope: Scope): Data | undefined {
  let current: Data | undefined;
  for (const stage of splitOutside(expression, '|')) {
    current = evaluateCommand(tokenize(stage.trim()), scope, current);
    if (current === undefined || (current.kind === 'unknown' && scope.partial)) return current;
  }
  return current;
}

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Functions that take unknown arguments in their stride: they build structures, choose, or call a helper. */
const TAKES_UNKNOWNS = new Set([
  'dict',
  'list',
  'tuple',
  'set',
  'append',
  'mustAppend',
  'concat',
  'include',
  'template',
]);
const CHOOSES = new Set(['and', 'or', 'default', 'coalesce', 'ternary']);

function evaluateCommand(tokens: string[], scope: Scope, piped: Data | undefined): Data | undefined {
  const [head, ...rest] = tokens;
  if (head === undefined) return undefined;
  if (!FUNCTION_NAME.test(head) || head === 'true' || head === 'false' || head === 'nil') {
    if (rest.length === 0 && piped === undefined) return evaluateTerm(head, scope);
    return scope.partial ? unknownHere(scope, `calling ${head}`) : undefined;
  }
  const args: Data[] = [];
  for (const token of rest) {
    const value = evaluateTerm(token, scope);
    if (value === undefined) return undefined;
    args.push(value);
  }
  if (piped) args.push(piped);
  if (scope.partial && !TAKES_UNKNOWNS.has(head)) {
    const decided = CHOOSES.has(head) ? chooseAmongUnknowns(head, args) : args.find((a) => a.kind === 'unknown');
    if (decided) return decided;
  }
  const result = callFunction(head, args, scope);
  return (
    result ??
    (scope.partial ? unknownHere(scope, `${head} of ${rest.join(' ') || 'its input'}`.slice(0, 120)) : undefined)
  );
}

/** `and`/`or`/`default`/`coalesce`/`ternary` with unknown arguments: the unknown that decides, if one does. */
function chooseAmongUnknowns(name: string, args: Data[]): Data | undefined {
  const isUnknown = (a: Data | undefined) => a?.kind === 'unknown';
  if (name === 'and' || name === 'or' || name === 'coalesce') {
    for (const arg of args) {
      if (isUnknown(arg)) return arg;
      if (name === 'and' ? !truthy(arg) : truthy(arg)) return undefined;
    }
    return undefined;
  }
  if (name === 'default')
    return isUnknown(args[1]) ? args[1] : truthy(args[1] ?? scalar('')) ? undefined : args.find(isUnknown);
  const condition = args[2];
  return isUnknown(condition)
    ? condition
    : condition && isUnknown(args[truthy(condition) ? 0 : 1])
      ? args[truthy(condition) ? 0 : 1]
      : undefined;
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
      return indexOf(name, args, scope);
    case 'hasKey': {
      const key = args[1] && textOf(args[1]);
      if (key === undefined || !args[0]) return undefined;
      const value = field(args[0], key, scope);
      return value === undefined || value.kind === 'unknown' ? value : scalar(String(value.kind !== 'missing'));
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

/** `index` of maps and lists, and Sprig's `get`, which gives "" for a key a map does not have. */
function indexOf(name: string, args: Data[], scope: Scope): Data | undefined {
  const [subject, ...keys] = args;
  if (name === 'get' && scope.partial && subject?.kind === 'dict' && keys.length === 1) {
    const key = textOf(keys[0]);
    return key === undefined ? undefined : (subject.entries.get(key) ?? scalar(''));
  }
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
  const site = scope.context.defineSites?.get(defineName);
  const inner: Scope = {
    ...scope,
    dot: args[1] ?? { kind: 'missing' },
    variables: new Map([['$', args[1] ?? { kind: 'root' }]]),
    depth: scope.depth + 1,
    file: site?.file,
    firstLine: site?.line,
    cursor: scope.partial ? { line: 1 } : undefined,
  };
  if (!scope.partial) inner.variables.set('$', { kind: 'root' });
  const pieces = scope.render(body, inner);
  if (pieces === undefined) return undefined;
  const value = joinPieces(pieces);
  return value.kind === 'unknown' ? { ...value, from: defineName } : value;
}

function tpl(args: Data[], scope: Scope): Data | undefined {
  const source = args[0] && textOf(args[0]);
  if (source === undefined) return undefined;
  const pieces = scope.render(source, {
    ...scope,
    dot: args[1] ?? { kind: 'root' },
    variables: new Map([['$', args[1] ?? { kind: 'root' }]]),
    depth: scope.depth + 1,
  });
  return pieces === undefined ? undefined : joinPieces(pieces);
}

// ---- terms and field access ---------------------------------------------------------------

export function evaluateTerm(token: string, scope: Scope): Data | undefined {
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
    if (value === undefined) return scope.partial ? unknownHere(scope, `${variable} (not set)`) : undefined;
    return followFields(value, token.slice(variable.length), scope);
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
  if (current && 'path' in current && current.path && current.kind !== 'unknown') {
    scope.trace.read.add(current.path);
    if (current.kind === 'scalar' && current.text === 'false') scope.trace.falses.add(current.path);
  }
  return current;
}

function field(value: Data, name: string, scope: Scope): Data | undefined {
  switch (value.kind) {
    case 'root':
      return rootField(name, value.context ?? scope.context, scope);
    case 'chart': {
      const { chart } = value.context ?? scope.context;
      if (name === 'AppVersion') return scalar(chart.appVersion ?? '');
      if (name === 'Name') return scalar(chart.name);
      if (name === 'Version' && chart.version !== undefined) return scalar(chart.version);
      return scope.partial ? unknownHere(scope, `.Chart.${name}`) : undefined;
    }
    case 'dict':
      // Helm's `.Values.AsMap` is the values themselves.
      if (name === 'AsMap' && scope.partial && [...scope.partial.values.values()].includes(value)) return value;
      return (
        value.entries.get(name) ?? {
          kind: 'missing',
          path: value.path === undefined ? undefined : joinValuesPath(value.path, name),
        }
      );
    case 'list':
      return /^\d+$/.test(name) ? value.items[Number(name)] : undefined;
    case 'missing':
      return { kind: 'missing', path: value.path === undefined ? undefined : joinValuesPath(value.path, name) };
    case 'tree':
      return treeField(value, name, scope);
    case 'unknown':
      return scope.partial ? value : undefined;
    default:
      return undefined;
  }
}

function rootField(name: string, context: ChartContext, scope: Scope): Data | undefined {
  if (name === 'Values') {
    if (!scope.partial) return fromTree(context.values, '');
    const values = scope.partial.values.get(context) ?? fromTreeDeep(context.values ?? {}, context.valuesPath ?? '');
    scope.partial.values.set(context, values);
    return values;
  }
  if (name === 'Chart') return { kind: 'chart', context };
  if (name === 'Subcharts' && scope.partial && context.subcharts) {
    const entries = [...context.subcharts].map(([key, sub]): [string, Data] => [key, { kind: 'root', context: sub }]);
    return { kind: 'dict', entries: new Map(entries) };
  }
  return cannot(scope, `.${name}`);
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
