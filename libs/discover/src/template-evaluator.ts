import { isSprigFunction } from './sprig-functions';
import { scalar, textOf, truthy, unknown, type Data, type Piece, type Unknown } from './template-data';
import { isPureFunction, pureFunction } from './template-functions';
import { matchingParen, splitOutside, tokenize } from './template-lexer';
import { ASSIGNMENT, parse, type Node } from './template-parser';
import { fromTreeDeep } from './template-structures';
import { joinValuesPath, Leaf, leafText, type Tree, type TreeMap } from './yaml-tree';

export type { Data } from './template-data';

/**
 * A static evaluator for Helm's Go templates. By default it evaluates the subset image references
 * are built with (`.Values`/`.Chart` paths, variables, `if`/`with`, `include` of the chart's own
 * `define`s, `tpl`, the functions of template-functions.ts), and whatever it cannot know
 * (`.Release`, `range` over values, `lookup`) makes the result `undefined`, never a guess.
 *
 * With a `Session` (`partial`), it runs a chart's templates as programs, the way charts generated
 * by gotohelm build whole manifests in helpers: `range` iterates, `break`/`continue` work, `set`
 * and the merges change maps in place, and what it cannot know becomes an `Unknown` value that
 * names the construct and where it stands, so the rest of the program still runs.
 */

export interface ChartContext {
  values: Tree | undefined;
  chart: { name: string; appVersion?: string; version?: string };
  /** Every `define` of the chart and its subcharts, by name (Helm shares them across the tree). */
  defines: Map<string, string>;
  /** Where each define's body starts, for naming the file and line of what cannot be evaluated. */
  defineSites?: Map<string, { file: string; line: number }>;
  /** Each subchart's own context, by name or alias, for `.Subcharts` (Helm 3.13+). */
  subcharts?: Map<string, ChartContext>;
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

/** One run of a chart's templates as programs: the values as maps the run may change. */
export interface Session {
  values: Map<ChartContext, Data>;
}

export interface Scope {
  context: ChartContext;
  dot: Data;
  variables: Map<string, Data>;
  trace: Trace;
  /** `include` nesting, to stop recursive defines. */
  depth: number;
  partial?: Session;
  /** The file being rendered, the line its text starts on, and the line of the action being evaluated. */
  file?: string;
  firstLine?: number;
  cursor?: { line: number };
}

export function rootScope(context: ChartContext, trace: Trace = newTrace()): Scope {
  return { context, dot: { kind: 'root' }, variables: new Map([['$', { kind: 'root' }]]), trace, depth: 0 };
}

/** A scope that runs a template file as a program (see `Session`). */
export function programScope(context: ChartContext, file: string, trace: Trace = newTrace()): Scope {
  return { ...rootScope(context, trace), partial: { values: new Map() }, file, firstLine: 1, cursor: { line: 1 } };
}

const MAX_INCLUDE_DEPTH = 60;
const MAX_RANGE = 10000;

/** What cannot be evaluated: unknown in a program, else the end of the evaluation (the first one is the cause). */
function cannot(scope: Scope, construct: string): Unknown | undefined {
  if (scope.partial) return unknownHere(scope, construct);
  scope.trace.cannot ??= construct;
  return undefined;
}

class Stop {
  constructor(readonly keyword: 'break' | 'continue') {}
}

// ---- text: nodes rendered in order ---------------------------------------------------------

/** Renders template text; undefined when any part of it cannot be known statically. */
export function renderTemplate(text: string, scope: Scope): string | undefined {
  const pieces = renderPieces(text, scope);
  if (pieces === undefined) return undefined;
  const joined = joinPieces(pieces);
  return joined.kind === 'scalar' ? joined.text : undefined;
}

/** Renders template text into what it prints, piece by piece; undefined when its blocks do not balance or (outside a program) when any part cannot be known. */
export function renderPieces(text: string, scope: Scope): Piece[] | undefined {
  const nodes = parsed(text);
  if (!nodes) return scope.partial ? [unknown('a template whose blocks do not balance')] : undefined;
  const out: Piece[] = [];
  return stopped(() => renderNodes(nodes, scope, out)) && out;
}

/** Runs a render; a `break` or `continue` outside any `range` (an error in Go) ends it. */
function stopped(render: () => Piece[] | undefined): Piece[] | undefined {
  try {
    return render();
  } catch (stop) {
    if (stop instanceof Stop) return [];
    throw stop;
  }
}

/** The top-level nodes of a template file with what each printed (in a program). */
export function renderProgram(text: string, scope: Scope): { line: number; pieces: Piece[] }[] {
  const nodes = parsed(text) ?? [];
  return nodes.map((node) => {
    const out: Piece[] = [];
    const pieces = stopped(() => renderNode(node, scope, out));
    return { line: 'line' in node ? node.line : 0, pieces: [...out, ...(pieces ?? [])] };
  });
}

const parseCache = new Map<string, Node[] | undefined>();

function parsed(text: string): Node[] | undefined {
  if (!parseCache.has(text)) {
    if (parseCache.size > 5000) parseCache.clear();
    parseCache.set(text, parse(text));
  }
  return parseCache.get(text);
}

/** Renders nodes into `out`, which keeps what was printed before a `break` or `continue` ends them. */
function renderNodes(nodes: Node[], scope: Scope, out: Piece[] = []): Piece[] | undefined {
  for (const node of nodes) {
    const pieces = renderNode(node, scope, out);
    if (pieces === undefined) return undefined;
    out.push(...pieces);
  }
  return out;
}

/** What a node prints; `if`/`with`/`range` bodies print into `out` directly (see `renderNodes`). */
function renderNode(node: Node, scope: Scope, out: Piece[] = []): Piece[] | undefined {
  if (scope.cursor && 'line' in node) scope.cursor.line = node.line;
  switch (node.type) {
    case 'text':
      return [node.text];
    case 'define':
      return [];
    case 'range':
      return scope.partial ? rangeInProgram(node, scope, out) : rangeInText(node, scope);
    case 'output':
      return renderOutput(node.pipeline, node.line, scope);
    case 'if':
    case 'with':
      return renderBranches(node, scope, out);
  }
}

function renderBranches(node: Node & { type: 'if' | 'with' }, scope: Scope, out: Piece[]): Piece[] | undefined {
  for (const [i, branch] of node.branches.entries()) {
    if (branch.condition === undefined) return renderNodes(branch.body, scope, out) && [];
    const value = evaluatePipeline(branch.condition, scope);
    if (value === undefined) return undefined;
    if (value.kind === 'unknown')
      return skipped(
        node.branches.slice(i).flatMap((b) => b.body),
        located(value, scope, node.line),
        scope,
      );
    if (truthy(value))
      return renderNodes(branch.body, node.type === 'with' ? { ...scope, dot: value } : scope, out) && [];
  }
  return [];
}

function rangeInText(node: Node & { type: 'range' }, scope: Scope): Piece[] | undefined {
  const collection = evaluatePipeline(node.pipeline, scope);
  if (collection !== undefined && !truthy(collection)) return [];
  cannot(scope, `range ${node.pipeline}`);
  return undefined;
}

const RANGE_VARIABLES = /^(\$[A-Za-z0-9_]*)\s*(?:,\s*(\$[A-Za-z0-9_]*)\s*)?:=\s*([\s\S]+)$/;

/** `range` in a program: iterates a known list or map with `break`/`continue`; an unknown one makes its effects unknown. */
function rangeInProgram(node: Node & { type: 'range' }, scope: Scope, out: Piece[]): Piece[] | undefined {
  const declared = RANGE_VARIABLES.exec(node.pipeline);
  const collection = evaluatePipeline(declared ? declared[3] : node.pipeline, scope);
  if (collection === undefined) return undefined;
  const entries = rangeEntries(collection);
  if (entries === undefined) {
    const why = collection.kind === 'unknown' ? collection : unknown(`range over ${node.pipeline.trim()}`);
    return skipped(node.body, located(why, scope, node.line), scope);
  }
  for (const [key, value] of entries.slice(0, MAX_RANGE)) {
    if (declared && declared[2]) {
      scope.variables.set(declared[1], key);
      scope.variables.set(declared[2], value);
    } else if (declared) scope.variables.set(declared[1], value);
    try {
      renderNodes(node.body, { ...scope, dot: value }, out);
    } catch (stop) {
      if (!(stop instanceof Stop)) throw stop;
      if (stop.keyword === 'break') break;
    }
  }
  return [];
}

function rangeEntries(collection: Data): [Data, Data][] | undefined {
  if (collection.kind === 'missing') return [];
  if (collection.kind === 'list') return collection.items.map((item, i) => [scalar(String(i)), item]);
  if (collection.kind === 'dict')
    return [...collection.entries.keys()].sort().map((key) => [scalar(key), collection.entries.get(key)!]);
  if (collection.kind === 'scalar' && /^\d+$/.test(collection.text))
    return [...Array(Math.min(Number(collection.text), MAX_RANGE)).keys()].map((i) => [
      scalar(String(i)),
      scalar(String(i)),
    ]);
  return undefined;
}

/**
 * Blocks a program cannot decide on: not run, their assignments and `set`s made unknown, and
 * what they would print (or a `break` they hold) printed as the unknown.
 */
function skipped(nodes: Node[], why: Unknown, scope: Scope): Piece[] {
  let prints = false;
  const visit = (list: Node[]) => {
    for (const node of list) {
      if (node.type === 'text') prints ||= node.text.trim() !== '';
      else if (node.type === 'output') prints = forgetEffects(node.pipeline, why, scope) || prints;
      else if (node.type === 'range') visit(node.body);
      else if (node.type === 'if' || node.type === 'with') node.branches.forEach((b) => visit(b.body));
    }
  };
  visit(nodes);
  return prints ? [why] : [];
}

const SET_CALL = /\(set\s+(\$[A-Za-z0-9_.]*)\s+("[^"]*"|\$[A-Za-z0-9_.]+)/g;

/** An action of a skipped block: its assignment or `set` made unknown. Whether it prints (or stops a range). */
function forgetEffects(pipeline: string, why: Unknown, scope: Scope): boolean {
  for (const [, target, key] of pipeline.matchAll(SET_CALL)) {
    const map = evaluateTerm(target, { ...scope, trace: newTrace() });
    const name = evaluateTerm(key, { ...scope, trace: newTrace() });
    const k = name && textOf(name);
    if (map?.kind === 'dict' && k !== undefined) map.entries.set(k, why);
    else if (/^\$[A-Za-z0-9_]*$/.test(target)) scope.variables.set(target, why);
  }
  const assignment = ASSIGNMENT.exec(pipeline);
  if (assignment) {
    if (!assignment[1].startsWith('$_') || assignment[1] === '$_is_returning') scope.variables.set(assignment[1], why);
    return false;
  }
  return true;
}

/** An unknown that names the file and line of the action being evaluated. */
function unknownHere(scope: Scope, why: string): Unknown {
  return scope.cursor ? located(unknown(why), scope, scope.cursor.line) : unknown(why);
}

function located(value: Unknown, scope: Scope, line: number): Unknown {
  return value.at || !scope.file ? value : { ...value, at: `${scope.file}:${(scope.firstLine ?? 1) + line - 1}` };
}

function renderOutput(pipeline: string, line: number, scope: Scope): Piece[] | undefined {
  if (scope.partial && (pipeline === 'break' || pipeline === 'continue')) throw new Stop(pipeline);
  const assignment = ASSIGNMENT.exec(pipeline);
  if (assignment) {
    const value = evaluatePipeline(assignment[2], scope);
    if (value === undefined) return undefined;
    scope.variables.set(assignment[1], value.kind === 'unknown' ? located(value, scope, line) : value);
    return [];
  }
  const value = evaluatePipeline(pipeline, scope);
  if (value === undefined) return undefined;
  if ((value.kind === 'unknown' || value.kind === 'scalar') && value.pieces) return value.pieces;
  if (value.kind === 'unknown') return [located(value, scope, line)];
  if (value.kind === 'scalar' && value.json) {
    if (scope.depth > 0 || scope.partial) return [value];
    cannot(scope, `${pipeline} (prints a map or list)`);
    return undefined;
  }
  const text = textOf(value);
  if (text !== undefined) return [text];
  const why = cannot(scope, `${pipeline} (prints a map or list)`);
  return why ? [located(why, scope, line)] : undefined;
}

/** What pieces print as one value: unknown if any is; a structure if exactly one is and the rest is blank. */
export function joinPieces(pieces: Piece[]): Data {
  const unknownPiece = pieces.find((p): p is Unknown => typeof p !== 'string' && p.kind === 'unknown');
  if (unknownPiece) return pieces.length === 1 ? unknownPiece : { ...unknownPiece, pieces };
  const text = pieces.map((p) => (typeof p === 'string' ? p : (textOf(p) ?? ''))).join('');
  const structures = pieces.filter((p): p is Data => typeof p !== 'string');
  if (structures.length === 0) return scalar(text);
  const blank = pieces.every((p) => typeof p !== 'string' || p.trim() === '');
  if (structures.length === 1 && blank) return { ...structures[0], pieces } as Data;
  return { kind: 'scalar', text, pieces };
}

// ---- pipelines and commands ---------------------------------------------------------------

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
  const pieces = renderPieces(body, inner);
  if (pieces === undefined) return undefined;
  const value = joinPieces(pieces);
  return value.kind === 'unknown' ? { ...value, from: defineName } : value;
}

function tpl(args: Data[], scope: Scope): Data | undefined {
  const source = args[0] && textOf(args[0]);
  if (source === undefined) return undefined;
  const pieces = renderPieces(source, {
    ...scope,
    dot: args[1] ?? { kind: 'root' },
    variables: new Map([['$', args[1] ?? { kind: 'root' }]]),
    depth: scope.depth + 1,
  });
  return pieces === undefined ? undefined : joinPieces(pieces);
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
      if (name === 'AsMap' && value.path === '' && !value.entries.has('AsMap')) return value;
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
    const values = scope.partial.values.get(context) ?? fromTreeDeep(context.values ?? {}, '');
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
