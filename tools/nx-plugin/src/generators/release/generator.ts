import type { Tree } from '@nx/devkit';
import { listOption } from '../shared/list-option';
import { writeProjectFile } from '../shared/project-file';
import { newProjectRoot } from '../shared/project-location';
import { requireProjects } from '../shared/references';
import { readWorkspaceProjects } from '../shared/workspace-projects';

export interface ReleaseGeneratorOptions {
  name: string;
  directory?: string;
  releaseVersion?: string;
  description?: string;
  plugins?: string | string[];
  appImages?: string | string[];
}

/** A product Release: a version and the Plugins and AppImages it ships; components are added by hand. */
export default async function releaseGenerator(tree: Tree, options: ReleaseGeneratorOptions): Promise<void> {
  const projects = readWorkspaceProjects(tree);
  const root = newProjectRoot(tree, options, 'releases', projects);
  const plugins = listOption(options.plugins);
  const appImages = listOption(options.appImages);
  requireProjects(projects, plugins, 'Plugin', '--plugins');
  requireProjects(projects, appImages, 'AppImage', '--appImages');
  const ships = { ...(plugins.length ? { plugins } : {}), ...(appImages.length ? { appImages } : {}) };
  writeProjectFile(
    tree,
    root,
    'Release',
    {
      name: options.name,
      version: options.releaseVersion ?? 'v0.1.0',
      ...(options.description ? { description: options.description } : {}),
      ...(Object.keys(ships).length ? { ships } : {}),
    },
    'Add components (git, local, helm or image sources), images, sync, bundle and publish as the release needs.',
  );
}
