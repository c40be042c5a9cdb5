import type { OpenedProject, Release } from '@dockyard/project-spec';

export type ReleaseProject = OpenedProject<Release>;
