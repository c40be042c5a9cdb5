import { visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { basename } from 'node:path';
import { parseProject, type LoadedProject } from '../../../../../libs/spec/src';

/**
 * Every project.yaml Nx would see (the walk honours .gitignore and .nxignore), parsed from the tree, so a
 * file another generator wrote in the same run counts too. Broken files are included with their issues.
 */
export function readWorkspaceProjects(tree: Tree): LoadedProject[] {
  const files: string[] = [];
  visitNotIgnoredFiles(tree, '', (path) => {
    if (basename(path) === 'project.yaml') files.push(path);
  });
  return files.sort().map((file) => parseProject(tree.read(file, 'utf8') ?? '', file));
}
