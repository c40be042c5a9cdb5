import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

/** A scalar from a YAML file, remembered with where it came from. */
export class Leaf {
  constructor(
    readonly text: string,
    readonly file: string,
    readonly keyPath: string,
    readonly line: number,
  ) {}
}

export type Tree = Leaf | TreeMap | Tree[];
export type TreeMap = { [key: string]: Tree };

export interface ParsedYaml {
  documents: Tree[];
  /** `file:line:col message` for each syntax error. */
  errors: string[];
}

/**
 * Parses every document of a YAML stream into plain trees whose leaves keep file, key path and
 * line. The failsafe schema keeps scalars as written, so a tag `1.20` stays `1.20`.
 */
export function parseYamlTrees(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { schema: 'failsafe', lineCounter, uniqueKeys: false });
  const documents: Tree[] = [];
  const errors: string[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      errors.push(`${file}:${pos.line}:${pos.col} ${error.message.split('\n')[0]}`);
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    documents.push(toTree(doc.contents as Node, doc, file, '', lineCounter, 0));
  }
  return { documents, errors };
}

const MAX_ALIAS_DEPTH = 50;

function toTree(node: Node, doc: Document, file: string, keyPath: string, lines: LineCounter, depth: number): Tree {
  if (isAlias(node)) {
    const target = depth < MAX_ALIAS_DEPTH ? node.resolve(doc) : undefined;
    return target ? toTree(target as Node, doc, file, keyPath, lines, depth + 1) : emptyLeaf(file, keyPath);
  }
  if (isMap(node)) {
    const map: TreeMap = Object.create(null);
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === '<<' && pair.value) {
        const merged = toTree(pair.value as Node, doc, file, keyPath, lines, depth + 1);
        for (const source of Array.isArray(merged) ? merged : [merged]) {
          if (isTreeMap(source)) for (const [k, v] of Object.entries(source)) if (!(k in map)) map[k] = v;
        }
        continue;
      }
      const childPath = joinKeyPath(keyPath, key);
      map[key] = pair.value
        ? toTree(pair.value as Node, doc, file, childPath, lines, depth)
        : emptyLeaf(file, childPath);
    }
    return map;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => toTree(item as Node, doc, file, `${keyPath}[${i}]`, lines, depth));
  }
  const line = node.range ? lines.linePos(node.range[0]).line : 0;
  const value = isScalar(node) ? node.value : '';
  return new Leaf(value === null || value === undefined ? '' : String(value), file, keyPath, line);
}

function emptyLeaf(file: string, keyPath: string): Leaf {
  return new Leaf('', file, keyPath, 0);
}

export function joinKeyPath(parent: string, key: string): string {
  const part = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? part : `${parent}.${part}`;
}

/** A `.Values` path as Helm's `--set` writes it: `a.b.c`. */
export function joinValuesPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function isTreeMap(tree: Tree | undefined): tree is TreeMap {
  return tree !== undefined && !(tree instanceof Leaf) && !Array.isArray(tree);
}

/** The text of a scalar child, or undefined when absent, not a scalar, or YAML null. */
export function leafText(map: TreeMap, key: string): string | undefined {
  const value = map[key];
  if (!(value instanceof Leaf)) return undefined;
  const text = value.text.trim();
  return text === '' || text === '~' || text === 'null' ? undefined : text;
}

export function getPath(tree: Tree | undefined, path: string[]): Tree | undefined {
  let current = tree;
  for (const key of path) {
    if (!isTreeMap(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Helm's value coalescing: maps merge key by key, anything else in `override` wins. */
export function mergeTrees(base: Tree | undefined, override: Tree | undefined): Tree | undefined {
  if (override === undefined) return base;
  if (!isTreeMap(base) || !isTreeMap(override)) return override;
  const merged: TreeMap = Object.create(null);
  for (const [k, v] of Object.entries(base)) merged[k] = v;
  for (const [k, v] of Object.entries(override)) merged[k] = mergeTrees(merged[k], v) as Tree;
  return merged;
}
