import type { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { Document, isScalar, visit, type YAMLMap } from 'yaml';
import { formatIssue, parseProject, SCHEMA_FILE, type Kind } from '../../../../../libs/spec/src';
import { writeNewFile } from './write-new-file';

/** Where the published schemas live, workspace-relative; editors resolve `$schema` against the file. */
const SCHEMA_FOLDER = 'libs/spec/schemas';

/**
 * The text of `<root>/project.yaml`: a yaml-language-server schema line (so editors validate as you type),
 * an optional comment, then the data, with lists of plain values written inline as in the examples.
 */
export function projectYaml(root: string, kind: Kind, data: Record<string, unknown>, comment?: string): string {
  const schema = posix.relative(root, `${SCHEMA_FOLDER}/${SCHEMA_FILE[kind]}`);
  const doc = new Document({ kind, ...data });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  // On the first node rather than the document, so no blank line separates the header from `kind:`.
  (doc.contents as YAMLMap).commentBefore = [` yaml-language-server: $schema=${schema}`, ...(comment ? comment.split('\n').map((l) => ` ${l}`) : [])].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Writes a new project.yaml after checking it with the same loader `dockyard validate` uses, so a generator
 * never leaves behind a project that fails its own `validate` target.
 */
export function writeProjectFile(tree: Tree, root: string, kind: Kind, data: Record<string, unknown>, comment?: string): string {
  const file = `${root}/project.yaml`;
  const text = projectYaml(root, kind, data, comment);
  const { issues } = parseProject(text, file);
  if (issues.length > 0) {
    throw new Error(`the generated ${file} would not validate; adjust the options named below:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  }
  writeNewFile(tree, file, text);
  return file;
}
