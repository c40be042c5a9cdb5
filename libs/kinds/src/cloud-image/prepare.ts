import { ContentStore } from '@dockyard/oci';
import { prepareBaseImages, type PreparedBaseImage } from '@dockyard/vm-image';
import { archesOf, type CloudImageProject } from './project';

/** Fetches every version × arch base image (verified, resumable) into the content store. */
export async function prepareProject(
  project: CloudImageProject,
  options: { store?: ContentStore } = {},
): Promise<{ store: ContentStore; bases: PreparedBaseImage[] }> {
  const store = options.store ?? ContentStore.default();
  const bases = await prepareBaseImages({
    repo: project.spec.source.repo,
    versions: project.spec.versions,
    arches: archesOf(project),
    projectDir: project.dir,
    store,
  });
  return { store, bases };
}
