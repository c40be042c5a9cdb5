import type { ChartContext } from './template-scope';
import type { Tree, TreeMap } from './yaml-tree';

/** A value during evaluation; `path` is its `.Values` path when it came from values. */
export type Data =
  /** `json`: the map or list a `toJson`/`toYaml` text stands for, so `fromJson` gets it back as it was. */
  | { kind: 'scalar'; text: string; path?: string; json?: Data; pieces?: Piece[] }
  | { kind: 'tree'; tree: TreeMap | Tree[]; path?: string }
  | { kind: 'missing'; path?: string }
  | { kind: 'dict'; entries: Map<string, Data>; path?: string }
  | { kind: 'list'; items: Data[]; path?: string }
  /** Helm's top-level object (`$` of a template); `context` when it is a subchart's, from `.Subcharts`. */
  | { kind: 'root'; context?: ChartContext }
  | { kind: 'chart'; context?: ChartContext }
  | Unknown;

/**
 * A value that cannot be known statically (the element of a `range` over values, `.Release`, a
 * `lookup`): `why` names the construct, `at` where it stands (`file:line`), `from` the last helper
 * that returned it.
 */
export interface Unknown {
  kind: 'unknown';
  path?: string;
  why?: string;
  at?: string;
  from?: string;
  /** An `include` whose output is partly unknown: what it printed, for printing it on. */
  pieces?: Piece[];
}

export const unknown = (why: string): Unknown => ({ kind: 'unknown', why });

/**
 * What rendering printed, in order: text, a `toJson`/`toYaml` text that stands for a structure
 * (a scalar with `json`), or an unknown. Kept apart so a helper's returned structure survives
 * `include` and a chart's printed manifests can be read as structures.
 */
export type Piece = string | Data;

export const scalar = (text: string): Data => ({ kind: 'scalar', text });
export const bool = (value: boolean): Data => scalar(value ? 'true' : 'false');

/** What Go templates print for a value; undefined for maps and other values that print as Go syntax. */
export function textOf(value: Data): string | undefined {
  if (value.kind === 'scalar') return value.text;
  if (value.kind === 'missing') return '';
  return undefined;
}

/** The texts of all arguments; undefined when any of them is not text. */
export function textsOf(args: Data[]): string[] | undefined {
  const out = args.map(textOf);
  return out.every((t) => t !== undefined) ? (out as string[]) : undefined;
}

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
