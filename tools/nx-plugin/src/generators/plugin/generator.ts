import type { Tree } from '@nx/devkit';
import { pluginClaims, pluginImage } from '@dockyard/project-spec';
import { listOption } from '../shared/list-option';
import { writeProjectFile } from '../shared/project-file';
import { newProjectRoot } from '../shared/project-location';
import { readWorkspaceProjects } from '../shared/workspace-projects';
import { choosePort, requireFreeSlots, usualReleaseRegistry } from './plugin-clashes';

export interface PluginGeneratorOptions {
  name: string;
  directory?: string;
  releaseRegistry?: string;
  pluginVersion?: string;
  port?: number;
  slots?: string | string[];
  alias?: string;
  class?: string;
  description?: string;
  author?: string;
  compassRequirement?: string;
}

/**
 * A compass Plugin: service image named by the release rule, a port and slots no other plugin uses, one
 * module. Clashes are checked against every Plugin project in the workspace before anything is written.
 */
export default async function pluginGenerator(tree: Tree, options: PluginGeneratorOptions): Promise<void> {
  const projects = readWorkspaceProjects(tree);
  const root = newProjectRoot(tree, options, 'plugins', projects);
  const plugins = pluginClaims(projects);
  const releaseRegistry = options.releaseRegistry ?? usualReleaseRegistry(plugins);
  if (!releaseRegistry) {
    throw new Error(
      'no other plugin names a release registry to follow: pass --releaseRegistry (the registry plugin images are released to, e.g. harbor.example.com)',
    );
  }
  const port = choosePort(plugins, options.port);
  const slots = listOption(options.slots, [`sidebar.${options.name}`]);
  requireFreeSlots(plugins, slots);
  const version = options.pluginVersion ?? 'v0.1.0';
  const title = options.alias ?? options.name;
  writeProjectFile(tree, root, 'Plugin', {
    name: options.name,
    ...(options.alias ? { alias: options.alias } : {}),
    releaseRegistry,
    spec: {
      ...(options.class ? { class: options.class } : {}),
      version,
      ...(options.compassRequirement ? { compassRequirement: options.compassRequirement } : {}),
      description: options.description ?? `${title} plugin`,
      ...(options.author ? { author: options.author } : {}),
      service: {
        port,
        image: pluginImage(releaseRegistry, options.name, version),
        security: { privileged: false, clusterAccessible: false, apiAccessible: true },
      },
      modules: [{ name: options.name, alias: { en: title }, ...(slots.length ? { slots } : {}) }],
    },
  });
}
