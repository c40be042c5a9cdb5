import { Composer, isPair, isScalar, isSeq, LineCounter, Parser, visit, type Document, type Node } from 'yaml';
import type { CST } from 'yaml';

/** Deeper than any project file needs, far shallower than what recursing readers (YAML, ajv) survive. */
export const MAX_NESTING = 64;
/** Alias uses `toJS` may expand, as yaml's default: a billion-laughs file stops here. */
const MAX_ALIAS_COUNT = 100;

/** A problem that makes the text unreadable as YAML, with the offset it starts at. */
export interface ReadProblem {
  offset: number;
  /** Dotted field path when the problem belongs to one key. */
  field?: (string | number)[];
  message: string;
  hint?: string;
}

export type ReadResult =
  | { ok: true; doc: Document; data: unknown; lines: LineCounter }
  | { ok: false; problems: ReadProblem[]; lines: LineCounter };

/** Non-printable characters YAML refuses, and U+FFFD, what undecodable bytes become: signs of a binary file. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

type Token = CST.Token | CST.CollectionItem['key'];

/** Offset of the first node nested deeper than `limit`, walking the parser's tokens without recursion. */
function tooDeepAt(tokens: readonly CST.Token[], limit: number): number | undefined {
  const stack: [Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    const collection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
    const level = collection ? depth + 1 : depth;
    if (level > limit) return token.offset;
    if (token.type === 'document') stack.push([token.value, level]);
    else if (collection) for (const item of token.items) stack.push([item.key, level], [item.value, level]);
  }
  return undefined;
}

/** Where the key of a DUPLICATE_KEY error sits in the document, as a field path. */
function keyPathAt(doc: Document, offset: number): (string | number)[] | undefined {
  let found: (string | number)[] | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const path: (string | number)[] = [];
      ancestors.forEach((node, i) => {
        if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
        else if (isSeq(node)) path.push(node.items.indexOf(ancestors[i + 1] as Node));
      });
      found = [...path, String(pair.key.value)];
      return visit.BREAK;
    },
  });
  return found;
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Reads one YAML document defensively: binary data, nesting deeper than MAX_NESTING, syntax errors,
 * duplicate keys and alias bombs come back as problems with their offset, never as exceptions, so one
 * hostile file cannot take the validation of the others down with it.
 */
export function readYaml(text: string): ReadResult {
  const lines = new LineCounter();
  const fail = (...problems: ReadProblem[]): ReadResult => ({ ok: false, problems, lines });
  const binary = BINARY.exec(text);
  if (binary) {
    lines.addNewLine(0);
    for (let nl = text.indexOf('\n'); nl >= 0 && nl < binary.index; nl = text.indexOf('\n', nl + 1))
      lines.addNewLine(nl + 1);
    return fail({
      offset: binary.index,
      message: 'binary data, not YAML text',
      hint: 'a project.yaml is a UTF-8 text file',
    });
  }
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const deep = tooDeepAt(tokens, MAX_NESTING);
  if (deep !== undefined)
    return fail({
      offset: deep,
      message: `nested more than ${MAX_NESTING} levels deep`,
      hint: 'a project file never needs that much nesting',
    });
  const composer = new Composer({ uniqueKeys: true });
  const docs = [...composer.compose(tokens, true, text.length)];
  const doc = docs[0]!;
  if (docs.length > 1)
    return fail({
      offset: docs[1]!.range[0],
      message: 'a second YAML document ("---") in the file',
      hint: 'a project.yaml holds one document',
    });
  if (doc.errors.length > 0) {
    return fail(
      ...doc.errors.map((e): ReadProblem => {
        const field = e.code === 'DUPLICATE_KEY' ? keyPathAt(doc, e.pos[0]) : undefined;
        return field
          ? {
              offset: e.pos[0],
              field,
              message: `key "${field[field.length - 1]}" is written twice in this mapping`,
              hint: 'keep one',
            }
          : {
              offset: e.pos[0],
              message: `YAML syntax error: ${e.message.split('\n')[0]!}`,
              hint: 'fix the YAML syntax (indentation, quoting, colons)',
            };
      }),
    );
  }
  if (doc.contents === null)
    return fail({ offset: 0, message: 'the file is empty', hint: 'start with "kind:" and "name:"' });
  try {
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), lines };
  } catch (err) {
    const alias = firstAliasOffset(doc);
    if (!(err instanceof ReferenceError) || alias === undefined) throw err;
    return fail({
      offset: alias,
      message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses)`,
      hint: 'write the values out instead of nesting aliases',
    });
  }
}
