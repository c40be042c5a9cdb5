import type { Tree, TreeMap } from './yaml-tree';

/** A value during evaluation; `path` is its `.Values` path when it came from values. */
export type Data =
  | { kind: 'scalar'; text: string; path?: string }
  | { kind: 'tree'; tree: TreeMap | Tree[]; path?: string }
  | { kind: 'missing'; path?: string }
  | { kind: 'dict'; entries: Map<string, Data> }
  | { kind: 'list'; items: Data[] }
  | { kind: 'root' }
  | { kind: 'chart' }
  /** The element of a `range`: unknown, but known to come from `path`. */
  | { kind: 'unknown'; path?: string };

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
