import { join } from 'node:path';
import { BUILD_SUMMARY, readBuildResult, type BuildResult, type BuiltImage } from '@dockyard/container';
import { DockyardError } from '@dockyard/errors';
import { completeLayout, type ContentStore } from '@dockyard/oci';
import type { ContainerProject } from './project';

/**
 * The last build, its layout in this workspace's dist/<name>/build/oci; with `store`, completed first: a cache that
 * kept only the layout's small files left its blobs in the content store's shared tier, fetched here by digest.
 */
export async function readBuilt(project: ContainerProject, store?: ContentStore): Promise<BuildResult> {
  const build = await readBuildResult(project.outputs.build, project.spec.name);
  const layout = project.outputs.buildLayout;
  if (store) await completeLayout(layout, store, project.spec.name);
  return { ...build, layout };
}

/**
 * The images of the last build that `check` and `publish` take: for base images the one of each version the project
 * lists (so a project narrowed to some versions checks and pushes only those), each of which must have been built;
 * app images (meta.yml) as built.
 */
export function imagesToShip(project: ContainerProject, build: BuildResult): BuiltImage[] {
  if (!project.spec.base) return build.images;
  const missing: string[] = [];
  const images = (project.spec.versions ?? []).flatMap((version) => {
    const image = build.images.find((i) => i.name === version);
    if (!image) missing.push(version);
    return image ? [image] : [];
  });
  if (missing.length)
    throw new DockyardError(
      `${join(project.outputs.build, BUILD_SUMMARY)}: no image of ${project.name} ${missing.join(', ')} (the last build made ${build.images.map((i) => i.name).join(', ') || 'none'})`,
      { code: 'OUTPUT_MISSING', hint: `build ${project.name} ${missing.join(', ')} first` },
    );
  return images;
}
