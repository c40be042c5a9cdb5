import { isAbsolute, join, posix, relative } from 'node:path';
import { Document, isScalar, visit, type YAMLMap } from 'yaml';
import { SCHEMA_DIR, SCHEMA_FILE } from './schemas';
import type { Kind } from './types';

/** Where the published schemas live, workspace-relative; editors resolve `$schema` against the file. */
export const SCHEMA_FOLDER = 'libs/project-spec/schemas';

/**
 * The text of a new `<root>/project.yaml`: a yaml-language-server schema line
 * (so editors validate as you type), an optional comment, then the data, with lists of plain values
 * written inline as in the examples. Generators and `dockyard resolve --import` both write through this.
 * `root` is workspace-relative, or absolute for a file outside any workspace (it then points at the
 * schemas of this Dockyard installation).
 */
export function projectYaml(root: string, kind: Kind, data: Record<string, unknown>, comment?: string): string {
  const schema = isAbsolute(root)
    ? relative(root, join(SCHEMA_DIR, SCHEMA_FILE[kind])).split('\\').join('/')
    : posix.relative(root, `${SCHEMA_FOLDER}/${SCHEMA_FILE[kind]}`);
  const doc = new Document({ kind, ...data });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  // On the first node rather than the document, so no blank line separates the header from `kind:`.
  (doc.contents as YAMLMap).commentBefore = [
    ` yaml-language-server: $schema=${schema}`,
    ...(comment ? comment.split('\n').map((l) => ` ${l}`) : []),
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
