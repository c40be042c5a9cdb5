import type { OpenedProject, Plugin } from '@dockyard/project-spec';

export type PluginProject = OpenedProject<Plugin>;
