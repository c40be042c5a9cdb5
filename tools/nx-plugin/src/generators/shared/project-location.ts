import type { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import type { LoadedProject } from '@dockyard/project-spec';

export interface LocationOptions {
  name: string;
  directory?: string;
}

/**
 * The workspace-relative folder a new project goes to: `--directory`, or `<defaultParent>/<name>`.
 * Refuses a folder that already holds a project.yaml and a name another project already has, because a
 * generator that overwrites or shadows a project loses someone's work.
 */
export function newProjectRoot(
  tree: Tree,
  options: LocationOptions,
  defaultParent: string,
  projects: readonly LoadedProject[],
): string {
  const root = posix
    .normalize((options.directory ?? `${defaultParent}/${options.name}`).replace(/\\/g, '/'))
    .replace(/\/+$/, '');
  if (posix.isAbsolute(root) || root === '.' || root === '..' || root.startsWith('../')) {
    throw new Error(
      `--directory "${options.directory}" must be a folder inside the workspace, relative to its root (e.g. ${defaultParent}/${options.name})`,
    );
  }
  const file = `${root}/project.yaml`;
  if (tree.exists(file)) {
    throw new Error(
      `${file} already exists; generators never overwrite a project. Choose another --directory, or delete that file first.`,
    );
  }
  const namesake = projects.find((p) => p.name === options.name);
  if (namesake) {
    throw new Error(
      `a project named "${options.name}" already exists (${namesake.file}); project names are unique in the workspace, so choose another --name.`,
    );
  }
  return root;
}
