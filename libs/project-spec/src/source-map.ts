import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/** Finds where a field of a parsed YAML document was written, so errors can point at it. */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the value at `path`, or of its key when `atKey` is set; falls back to the nearest parent found. */
  position(path: readonly (string | number)[], atKey = false): Position {
    let node: unknown = this.doc.contents;
    let found: Node | null = (this.doc.contents as Node | null) ?? null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        node = last && atKey ? pair.key : pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
      } else {
        break;
      }
      if (!node) break;
      found = node as Node;
    }
    return this.offsetPosition(found?.range?.[0] ?? 0);
  }

  offsetPosition(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}
