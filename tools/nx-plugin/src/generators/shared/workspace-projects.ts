import type { Tree } from '@nx/devkit';
import { listProjectFiles, parseProject, type LoadedProject, type WorkspaceTree } from '@dockyard/project-spec';

/** The generator's tree as libs/project-spec lists projects from it, so files written earlier in the same run count. */
function specTree(tree: Tree): WorkspaceTree {
  return {
    entries: (dir) =>
      tree.children(dir).map((name) => {
        const path = dir ? `${dir}/${name}` : name;
        return { name, kind: tree.isFile(path) ? 'file' : 'directory' };
      }),
    read: (file) => (tree.isFile(file) ? (tree.read(file, 'utf8') ?? undefined) : undefined),
  };
}

/** Every project of the workspace, by the one definition `dockyard validate` and Nx use; broken files included with their issues. */
export function readWorkspaceProjects(tree: Tree): LoadedProject[] {
  return listProjectFiles(specTree(tree)).map((file) => parseProject(tree.read(file, 'utf8') ?? '', file));
}
