import { readImageLists } from '@dockyard/oci';
import { pluginShippedImages } from '@dockyard/sources';
import { expandLists } from '../shared/image-lists';
import { resolveLock, type ResolveFacts, type ResolveOptions } from '../shared/resolve';
import type { PluginProject } from './project';

/** Pins every image a Plugin ships (its service image, `images:` and its sync lists) in its lock. */
export function resolveProject(project: PluginProject, options: ResolveOptions): Promise<ResolveFacts> {
  return resolveLock(project, options, async ({ spec, dir, file }) =>
    pluginShippedImages(
      spec,
      file,
      spec.sync?.lists?.length ? await readImageLists(await expandLists(spec.sync.lists, dir)) : [],
    ),
  );
}
