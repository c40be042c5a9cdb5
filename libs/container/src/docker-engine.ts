import { DockyardError } from '@dockyard/errors';
import type Dockerode from 'dockerode';

function endpointOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  // docker-modem's default socket path is a function that looks for the socket, so it is named here as the default.
  if (modem.socketPath !== undefined)
    return `unix://${typeof modem.socketPath === 'string' ? modem.socketPath : '/var/run/docker.sock'}`;
  return `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
}

/**
 * The engine (`docker`, else the one docker-modem finds from DOCKER_HOST), checked to answer before any work starts;
 * an ENGINE_UNREACHABLE error says where it was looked for and why, for front-ends to word with what to do.
 */
export async function answeringEngine(docker?: Dockerode): Promise<Dockerode> {
  const engine = docker ?? new (await import('dockerode')).default();
  await engine.ping().catch((err: NodeJS.ErrnoException) => {
    throw new DockyardError(`the Docker engine at ${endpointOf(engine)} did not answer (${err.code ?? err.message})`, {
      code: 'ENGINE_UNREACHABLE',
      cause: err,
    });
  });
  return engine;
}
