import { DockyardError } from '@dockyard/errors';
import type { AppImage, OpenedProject } from '@dockyard/project-spec';

export type AppImageProject = OpenedProject<AppImage>;

/**
 * The project narrowed to some of its versions, for building or pushing only those (a `/build <app> <version>`
 * request): every entry point reads the versions from the spec.
 */
export function onlyVersions(project: AppImageProject, versions: readonly string[]): AppImageProject {
  const unknown = versions.filter((v) => !project.spec.versions.includes(v));
  if (unknown.length)
    throw new DockyardError(
      `${project.file}: ${project.name} has no version ${unknown.join(', ')} (its versions: ${project.spec.versions.join(', ')})`,
      { code: 'APP_VERSION_UNKNOWN', hint: 'add the version to versions: and resolve its lock first' },
    );
  return { ...project, spec: { ...project.spec, versions: project.spec.versions.filter((v) => versions.includes(v)) } };
}
