import type Dockerode from 'dockerode';

/** The Docker engine did not answer: where it was looked for and why, for the CLI to word with what to do. */
export class EngineUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`the Docker engine at ${endpoint} did not answer (${reason})`);
  }
}

function endpointOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  // docker-modem's default socket path is a function that looks for the socket, so it is named here as the default.
  if (modem.socketPath !== undefined)
    return `unix://${typeof modem.socketPath === 'string' ? modem.socketPath : '/var/run/docker.sock'}`;
  return `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
}

/** The engine (`docker`, else the one docker-modem finds from DOCKER_HOST), checked to answer before any work starts. */
export async function answeringEngine(docker?: Dockerode): Promise<Dockerode> {
  const engine = docker ?? new (await import('dockerode')).default();
  await engine.ping().catch((err: NodeJS.ErrnoException) => {
    throw new EngineUnreachableError(endpointOf(engine), err.code ?? err.message);
  });
  return engine;
}
