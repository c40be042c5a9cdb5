import { DockyardError } from '@dockyard/errors';
import type { AppImage, CloudImage, ContainerImage, OpenedProject } from '@dockyard/project-spec';

/** The kinds whose project.yaml lists versions (`versions:`), each built, checked and pushed on its own. */
export const VERSIONED_KINDS = ['AppImage', 'ContainerImage', 'CloudImage'] as const;

export type VersionedSpec = AppImage | ContainerImage | CloudImage;

export function hasVersions(project: OpenedProject): project is OpenedProject<VersionedSpec> {
  return (VERSIONED_KINDS as readonly string[]).includes(project.spec.kind);
}

/**
 * The project narrowed to some of its versions, for preparing, building, checking or pushing only those (a
 * `/build <project> <version>` request): every engine reads the versions from the spec, so none needs to know.
 */
export function onlyVersions<S extends VersionedSpec>(
  project: OpenedProject<S>,
  versions: readonly string[],
): OpenedProject<S> {
  const listed = project.spec.versions ?? [];
  const unknown = versions.filter((v) => !listed.includes(v));
  if (unknown.length)
    throw new DockyardError(
      `${project.file}: ${project.name} has no version ${unknown.join(', ')} (${listed.length ? `its versions: ${listed.join(', ')}` : 'it lists no versions'})`,
      { code: 'VERSION_UNKNOWN', hint: 'add the version to versions: (and resolve its lock) first' },
    );
  return { ...project, spec: { ...project.spec, versions: listed.filter((v) => versions.includes(v)) } };
}
