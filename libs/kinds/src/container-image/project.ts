import type { ContainerImage, OpenedProject } from '@dockyard/project-spec';

export type ContainerProject = OpenedProject<ContainerImage>;
