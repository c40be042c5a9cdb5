import { unknown, type Data, type Piece, type Unknown } from './template-data';
import type { Tree } from './yaml-tree';

/** What an evaluation of a chart's templates knows and records: the chart, the values, the trace. */

export interface ChartContext {
  values: Tree | undefined;
  chart: { name: string; appVersion?: string; version?: string };
  /** Every `define` of the chart and its subcharts, by name (Helm shares them across the tree). */
  defines: Map<string, string>;
  /** Where each define's body starts, for naming the file and line of what cannot be evaluated. */
  defineSites?: Map<string, { file: string; line: number }>;
  /** Each subchart's own context, by name or alias, for `.Subcharts` (Helm 3.13+). */
  subcharts?: Map<string, ChartContext>;
  /** A subchart's: the key its values sit at in its parent's, so what the parent's templates read of them is named from there. */
  valuesPath?: string;
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
  /** Renders template text in a scope (what `include` and `tpl` do): the evaluator's `renderPieces`. */
  render: (text: string, scope: Scope) => Piece[] | undefined;
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

/** What cannot be evaluated: unknown in a program, else the end of the evaluation (the first one is the cause). */
export function cannot(scope: Scope, construct: string): Unknown | undefined {
  if (scope.partial) return unknownHere(scope, construct);
  scope.trace.cannot ??= construct;
  return undefined;
}

/** An unknown that names the file and line of the action being evaluated. */
export function unknownHere(scope: Scope, why: string): Unknown {
  return scope.cursor ? located(unknown(why), scope, scope.cursor.line) : unknown(why);
}

export function located(value: Unknown, scope: Scope, line: number): Unknown {
  return value.at || !scope.file ? value : { ...value, at: `${scope.file}:${(scope.firstLine ?? 1) + line - 1}` };
}
