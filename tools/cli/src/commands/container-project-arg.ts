import { EngineUnreachableError, loadContainerProject, type ContainerProject } from '@dockyard/container';

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
  console.error(
    `dockyard ${verb}: ${err instanceof EngineUnreachableError ? engineAdvice(verb, err) : (err as Error).message}`,
  );
  return 1;
}

/** Where the engine was looked for comes from DOCKER_HOST, so that is what the user is told to check or set. */
function engineAdvice(verb: string, err: EngineUnreachableError): string {
  const where = process.env.DOCKER_HOST
    ? `DOCKER_HOST=${process.env.DOCKER_HOST}`
    : 'DOCKER_HOST is not set, so the local socket was tried';
  const why = verb === 'build' ? 'a Dockerfile with RUN is built in it' : `${verb} runs the images in it`;
  return `${err.message}; ${where}: start dockerd, or point DOCKER_HOST at a Docker engine that runs (${why})`;
}
