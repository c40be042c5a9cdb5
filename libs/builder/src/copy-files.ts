import { posix } from 'node:path';
import type { LayerFile } from './layer-builder';
import type { SourceNode, SourceTree } from './source-tree';
import { DockyardError } from '@dockyard/errors';

export interface CopyOptions {
  /** Absolute destination in the image (WORKDIR already applied); a trailing '/' makes it a folder. */
  dest: string;
  uid?: number;
  gid?: number;
  /** --chmod: the mode of every copied file and folder. */
  mode?: number;
  /** Every entry's time, unless the sources carry commit times (see `layerTime`). */
  mtime: number;
}

/**
 * One time for every entry of a layer copied from a tree: the newest commit time of the files it holds when the
 * tree knows them, so a commit that touches other files leaves this layer's bytes (and its cache entry) as they
 * were; else the build's one time.
 */
export function layerTime(nodes: readonly SourceNode[], fallback: number): number {
  if (!nodes.some((node) => node.committed !== undefined)) return fallback;
  return nodes.reduce((newest, node) => Math.max(newest, node.committed ?? 0), 0);
}

function copyError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'COPY_CONFLICT', cause });
}

function tarPath(absolute: string): string {
  return posix.normalize(absolute).replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Parent folders of every member that the layer does not already hold: 0755, root-owned, as Docker creates them. */
export function withParents(files: LayerFile[], mtime: number): LayerFile[] {
  const present = new Set(files.map((f) => f.entry.path));
  const parents: LayerFile[] = [];
  for (const { entry } of files) {
    for (
      let dir = posix.dirname(entry.path);
      dir !== '.' && dir !== '/' && !present.has(dir);
      dir = posix.dirname(dir)
    ) {
      present.add(dir);
      parents.push({ entry: { path: dir, type: 'directory', mode: 0o755, mtime } });
    }
  }
  return [...parents, ...files];
}

export async function layerFile(node: SourceNode, target: string, options: CopyOptions): Promise<LayerFile> {
  const type = node.type;
  return {
    entry: {
      path: target,
      type,
      mode: options.mode ?? node.mode,
      uid: options.uid,
      gid: options.gid,
      mtime: options.mtime,
      ...(type === 'file' ? { size: node.size, content: node.open } : {}),
      ...(type === 'symlink' || type === 'hardlink' ? { linkpath: node.linkpath } : {}),
    },
    contentId: await node.contentId(),
    contentIdAfterRead: node.contentId,
    stamp: node.stamp,
    compressed: (await node.compressed?.()) ?? false,
  };
}

/**
 * Docker's COPY placement: a folder source copies its contents into the destination; a file goes to the
 * destination itself, or into it when the destination ends in '/' or there are several sources.
 */
export async function copyFromTree(tree: SourceTree, sources: string[], options: CopyOptions): Promise<LayerFile[]> {
  const resolved = (await Promise.all(sources.map((s) => tree.resolve(s)))).flat();
  const destIsDir = options.dest.endsWith('/') || resolved.length > 1;
  if (sources.length > 1 && !options.dest.endsWith('/'))
    throw copyError(
      `with more than one source the destination must be a folder ending in "/" (write ${options.dest}/)`,
    );
  const dest = tarPath(options.dest);
  const placed: { node: SourceNode; target: string }[] = [];
  for (const source of resolved) {
    const nodes = await tree.walk(source);
    const [root] = nodes;
    if (!root) continue;
    if (root.type === 'directory') {
      for (const node of nodes) {
        const rel = root.path === '' ? node.path : node.path.slice(root.path.length + 1);
        const target = rel ? posix.join(dest, rel) : dest;
        if (target === '' || target === '.') continue;
        placed.push({ node, target });
      }
    } else {
      placed.push({ node: root, target: destIsDir ? posix.join(dest, posix.basename(source)) : dest });
    }
  }
  const dated = {
    ...options,
    mtime: layerTime(
      placed.map((p) => p.node),
      options.mtime,
    ),
  };
  const files: LayerFile[] = [];
  for (const { node, target } of placed) files.push(await layerFile(node, target, dated));
  return files;
}
