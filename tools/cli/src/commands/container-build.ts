import { buildContainerImageProject, loadContainerProject } from '@dockyard/container';
import type { ParsedArgs } from '../command';
import { reportFailure } from './container-project-arg';

/**
 * `dockyard build --project` for a ContainerImage: prepares the base archives, builds every version (or meta.yml
 * image) for each arch — a RUN through the Docker engine at DOCKER_HOST, else daemonless — and writes the
 * multi-arch indexes under all their tags to dist/<name>/build/oci with build.json.
 */
export async function containerBuildCommand(file: string, _values: ParsedArgs['values']): Promise<number> {
  const loaded = await loadContainerProject(file);
  if ('errors' in loaded) {
    for (const line of loaded.errors) console.error(line);
    return 1;
  }
  try {
    const result = await buildContainerImageProject(loaded.project, { log: (line) => console.error(line) });
    for (const image of result.images) {
      console.log(
        `built ${image.tags.join(', ')} ${image.digest} (${image.platforms.map((p) => `${p.arch} ${p.digest}`).join('; ')})`,
      );
    }
    console.log(`wrote ${result.layout}`);
    return 0;
  } catch (err) {
    return reportFailure('build', err);
  }
}
