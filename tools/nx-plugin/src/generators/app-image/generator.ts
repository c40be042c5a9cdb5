import type { Tree } from '@nx/devkit';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listOption } from '../shared/list-option';
import { writeProjectFile } from '../shared/project-file';
import { newProjectRoot } from '../shared/project-location';
import { readWorkspaceProjects } from '../shared/workspace-projects';
import { writeNewFile } from '../shared/write-new-file';

export interface AppImageGeneratorOptions {
  name: string;
  directory?: string;
  versions: string | string[];
  arches?: string | string[];
  repository: string;
}

/** The sealos version folder every listed version without a folder of its own is built from. */
const LAYOUT = join(__dirname, 'files', 'latest');

/**
 * A sealos-style cluster image: project.yaml plus latest/{init.sh, Kubefile, entrypoint.sh}, copied with
 * their modes (init.sh and entrypoint.sh executable). The Kubefile only COPYs: no RUN, so any arch builds.
 */
export default async function appImageGenerator(tree: Tree, options: AppImageGeneratorOptions): Promise<void> {
  const projects = readWorkspaceProjects(tree);
  const root = newProjectRoot(tree, options, 'releases/apps', projects);
  writeProjectFile(
    tree,
    root,
    'AppImage',
    {
      name: options.name,
      versions: listOption(options.versions),
      arches: listOption(options.arches, ['amd64', 'arm64']),
      repository: options.repository,
    },
    'Versions without a folder of their own are built from latest/ (init.sh ARCH NAME VERSION lays it out).',
  );
  for (const file of readdirSync(LAYOUT).sort()) {
    const source = join(LAYOUT, file);
    writeNewFile(tree, `${root}/latest/${file}`, readFileSync(source, 'utf8'), statSync(source).mode & 0o777);
  }
}
