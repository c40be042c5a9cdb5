import { join } from 'node:path';
import { fieldPath, loadProjectOfKind, type ContainerImage, type ProjectOfKind } from '@dockyard/project-spec';

export type ContainerProject = ProjectOfKind<ContainerImage>;

/** Loads the ContainerImage project at `path` (a project.yaml or its folder); problems come back as printable lines. */
export function loadContainerProject(path: string): Promise<{ project: ContainerProject } | { errors: string[] }> {
  return loadProjectOfKind(path, 'ContainerImage');
}

/** `dist/<name>/<step>` of the workspace. */
export function outputDir(project: ContainerProject, step: 'build' | 'check' | 'publish'): string {
  return join(project.workspaceRoot, 'dist', project.spec.name, step);
}

/** `project.yaml:LINE:COL: field` for messages about one field. */
export function fieldLocation(project: ContainerProject, field: (string | number)[]): string {
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${fieldPath(field)}`;
}
