import { prepareBases, type PreparedBase } from '@dockyard/container';
import { DockyardError } from '@dockyard/errors';
import { ContentStore } from '@dockyard/oci';
import type { ContainerProject } from './project';

/** Fetches the openEuler base archives a ContainerImage builds from (one per version and arch) into the store. */
export async function prepareProject(
  project: ContainerProject,
  options: { store?: ContentStore } = {},
): Promise<{ store: ContentStore; bases: PreparedBase[] }> {
  const { spec } = project;
  if (!spec.base)
    throw new DockyardError(`${project.file}: ${spec.name} builds app images (app.meta) and has no base: to prepare`, {
      code: 'SECTION_MISSING',
    });
  const store = options.store ?? ContentStore.default();
  const bases = await prepareBases({
    repo: spec.base.repo,
    index: spec.base.index,
    versions: spec.versions ?? [],
    arches: spec.arches,
    projectDir: project.dir,
    store,
  });
  return { store, bases };
}
