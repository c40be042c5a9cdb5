import { loadContainerProject, type ContainerProject } from '../../../../libs/container/src';

/** The ContainerImage project a verb was pointed at, or undefined once what is wrong with it is printed. */
export async function containerProjectOrReport(path: string): Promise<ContainerProject | undefined> {
  const loaded = await loadContainerProject(path);
  if ('errors' in loaded) {
    for (const line of loaded.errors) console.error(line);
    return undefined;
  }
  return loaded.project;
}

/** One line per failure kind a user can act on; anything else is printed as the engine worded it. */
export function reportFailure(verb: string, err: unknown): number {
  console.error(`dockyard ${verb}: ${(err as Error).message}`);
  return 1;
}
