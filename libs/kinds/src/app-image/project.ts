import type { AppImage, OpenedProject } from '@dockyard/project-spec';

export type AppImageProject = OpenedProject<AppImage>;
