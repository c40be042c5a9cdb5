import { joinPieces, scalar, textOf, truthy, unknown, type Data, type Piece, type Unknown } from './template-data';
import { evaluatePipeline, evaluateTerm } from './template-expressions';
import { ASSIGNMENT, parse, type Node } from './template-parser';
import { cannot, located, newTrace, type ChartContext, type Scope, type Trace } from './template-scope';

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

export function rootScope(context: ChartContext, trace: Trace = newTrace()): Scope {
  return {
    context,
    dot: { kind: 'root' },
    variables: new Map([['$', { kind: 'root' }]]),
    trace,
    depth: 0,
    render: renderPieces,
  };
}

/** A scope that runs a template file as a program (see `Session`). */
export function programScope(context: ChartContext, file: string, trace: Trace = newTrace()): Scope {
  return { ...rootScope(context, trace), partial: { values: new Map() }, file, firstLine: 1, cursor: { line: 1 } };
}

const MAX_RANGE = 10000;

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
