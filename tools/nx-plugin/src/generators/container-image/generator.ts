import type { Tree } from '@nx/devkit';
import { envPrefix } from '../shared/credential-env';
import { listOption } from '../shared/list-option';
import { writeProjectFile } from '../shared/project-file';
import { newProjectRoot } from '../shared/project-location';
import { readWorkspaceProjects } from '../shared/workspace-projects';

export interface ContainerImageGeneratorOptions {
  name: string;
  directory?: string;
  versions: string | string[];
  arches?: string | string[];
  baseRepo?: string;
  index?: string;
  registry: string;
  repository?: string;
  usernameEnv?: string;
  passwordEnv?: string;
}

/**
 * An openEuler base image built from the per-arch rootfs and published to one registry (add more under
 * registries:). Credentials are names of environment variables, derived from the registry host by default.
 */
export default async function containerImageGenerator(
  tree: Tree,
  options: ContainerImageGeneratorOptions,
): Promise<void> {
  const projects = readWorkspaceProjects(tree);
  const root = newProjectRoot(tree, options, 'releases/containers', projects);
  const prefix = envPrefix(options.registry);
  writeProjectFile(
    tree,
    root,
    'ContainerImage',
    {
      name: options.name,
      versions: listOption(options.versions),
      arches: listOption(options.arches, ['amd64', 'arm64']),
      base: { repo: options.baseRepo ?? 'https://repo.openeuler.org', index: options.index ?? 'release' },
      registries: [
        {
          registry: options.registry,
          repository: options.repository ?? `openeuler/${options.name}`,
          credentials: {
            usernameEnv: options.usernameEnv ?? `${prefix}_USERNAME`,
            passwordEnv: options.passwordEnv ?? `${prefix}_PASSWORD`,
          },
        },
      ],
      check: { timezone: 'UTC' },
    },
    'Extra tags per version go under tags: (e.g. 24.03-LTS: [latest, "24.03"]); more registries under registries:.',
  );
}
