import type { Tree } from '@nx/devkit';
import { formatIssue, parseProject, projectYaml, type Kind } from '@dockyard/project-spec';
import { writeNewFile } from './write-new-file';

/**
 * Writes a new project.yaml after checking it with the same loader `dockyard validate` uses, so a generator
 * never leaves behind a project that fails its own `validate` target.
 */
export function writeProjectFile(
  tree: Tree,
  root: string,
  kind: Kind,
  data: Record<string, unknown>,
  comment?: string,
): string {
  const file = `${root}/project.yaml`;
  const text = projectYaml(root, kind, data, comment);
  const { issues } = parseProject(text, file);
  if (issues.length > 0) {
    throw new Error(
      `the generated ${file} would not validate; adjust the options named below:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
  }
  writeNewFile(tree, file, text);
  return file;
}
