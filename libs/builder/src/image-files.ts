import { posix } from 'node:path';
import { archiveMembers, tarOf } from './archive';
import type { ContentStore, Image } from './oci';
import type { SourceNode } from './source-tree';
import { DockyardError } from '@dockyard/errors';

/**
 * The filesystem an image's layers make (whiteouts applied), for `COPY --from=<image or stage with a base>`.
 * Layers are fetched into the content store and unpacked into `scratchDir`; members are read in place.
 */
export async function imageFiles(
  image: Image,
  store: ContentStore,
  scratchDir: string,
): Promise<Map<string, SourceNode>> {
  const files = new Map<string, SourceNode>();
  for (const [i, layer] of image.layers.entries()) {
    const stored = await store.fetch(layer);
    const tar = await tarOf(
      store.path(stored.descriptor.digest),
      scratchDir,
      `layer-${i}-${layer.descriptor.digest.slice(7, 19)}`,
    );
    if (!tar)
      throw new DockyardError(`layer ${layer.descriptor.digest} is not a tar archive`, { code: 'LAYER_NOT_TAR' });
    for (const member of await archiveMembers(tar, `layer ${layer.descriptor.digest}`)) {
      const base = posix.basename(member.name);
      const dir = posix.dirname(member.name);
      if (base === '.wh..wh..opq') {
        const prefix = dir === '.' ? '' : `${dir}/`;
        for (const key of [...files.keys()]) if (key.startsWith(prefix) && key !== dir) files.delete(key);
        continue;
      }
      if (base.startsWith('.wh.')) {
        const gone = dir === '.' ? base.slice(4) : `${dir}/${base.slice(4)}`;
        for (const key of [...files.keys()]) if (key === gone || key.startsWith(`${gone}/`)) files.delete(key);
        continue;
      }
      const contentId = `${layer.descriptor.digest}!${member.name}`;
      files.set(member.name, {
        path: member.name,
        type: member.type,
        mode: member.mode,
        size: member.size,
        linkpath: member.linkpath,
        contentId: async () => (member.type === 'file' ? contentId : undefined),
        open: member.type === 'file' ? member.open : undefined,
      });
    }
  }
  return files;
}
