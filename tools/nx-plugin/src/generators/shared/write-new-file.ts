import type { Tree } from '@nx/devkit';

/** Writes a file the generator creates; an existing file is someone's work, so it is an error, never replaced. */
export function writeNewFile(tree: Tree, path: string, content: string, mode?: number): void {
  if (tree.exists(path)) {
    throw new Error(
      `${path} already exists; generators never overwrite files. Choose another --directory, or delete it first.`,
    );
  }
  tree.write(path, content, mode === undefined ? undefined : { mode });
}
