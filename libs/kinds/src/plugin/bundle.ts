import { planPluginBundle } from '@dockyard/bundle';
import { planAt, writePlannedBundle, type BundleFacts, type BundleOptions } from '../shared/bundle';
import type { PluginProject } from './project';

/** A Plugin's package in dist/<name>/bundle: its yaml and its images by the digests the lock pins. */
export async function bundleProject(project: PluginProject, options: BundleOptions): Promise<BundleFacts> {
  const files = { name: project.spec.name, dir: project.dir, file: project.file, workspaceRoot: project.workspaceRoot };
  return writePlannedBundle(project, await planAt(project, () => planPluginBundle(files, project.spec)), options);
}
