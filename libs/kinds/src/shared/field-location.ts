import { fieldPath, type OpenedProject } from '@dockyard/project-spec';

/** `project.yaml:LINE:COL: field`, for a message about one field of an opened project. */
export function fieldLocation(project: Pick<OpenedProject, 'file' | 'loaded'>, field: (string | number)[]): string {
  const position = project.loaded.source?.position(field) ?? { line: 1, column: 1 };
  return `${project.file}:${position.line}:${position.column}: ${fieldPath(field)}`;
}
