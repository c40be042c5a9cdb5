import { Readable } from 'node:stream';
import type { LayerFile } from './layer-builder';
import type { StageEnvironment, StageResult } from './stage-environment';
import { mapTree, type SourceNode, type SourceTree } from './source-tree';

/** A file a stage's layer wrote, as a later `COPY --from` reads it. */
export function nodeOfFile(file: LayerFile): SourceNode {
  const { entry } = file;
  const content = entry.content;
  return {
    path: entry.path,
    type: entry.type,
    mode: entry.mode ?? 0o644,
    size: entry.size ?? (Buffer.isBuffer(content) ? content.length : 0),
    linkpath: entry.linkpath,
    contentId: async () => file.contentId,
    open: content === undefined ? undefined : Buffer.isBuffer(content) ? () => Readable.from([content]) : content,
  };
}

export const emptyTree = async (): Promise<SourceTree> => mapTree('scratch', new Map());

/** A stage's filesystem: its base's files with the stage's own layers' files over them, merged once when first read. */
export function stageTree(
  name: string | undefined,
  baseTree: () => Promise<SourceTree>,
  own: ReadonlyMap<string, SourceNode>,
): () => Promise<SourceTree> {
  let tree: Promise<SourceTree> | undefined;
  return () => {
    tree ??= (async () => {
      const base = await baseTree();
      const merged = new Map<string, SourceNode>();
      for (const node of await base.walk('')) if (node.path) merged.set(node.path, node);
      for (const [path, node] of own) merged.set(path, node);
      return mapTree(name ? `stage ${name}` : 'an earlier stage', merged);
    })();
    return tree;
  };
}

/** What `COPY --from=<reference>` reads: an earlier stage by name or index, else an image, unpacked once per build. */
export async function fromTree(
  reference: string,
  earlier: readonly StageResult[],
  env: StageEnvironment,
): Promise<SourceTree> {
  const stage =
    earlier.find((s) => s.name === reference.toLowerCase()) ??
    (/^\d+$/.test(reference) ? earlier[Number(reference)] : undefined);
  if (stage) return stage.tree();
  let tree = env.imageTrees.get(reference);
  if (!tree) {
    tree = env
      .openImage(reference, env.platform)
      .then(async (image) => mapTree(`image ${reference}`, await env.imageFiles(image)));
    env.imageTrees.set(reference, tree);
  }
  return tree;
}
