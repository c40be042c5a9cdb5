import { writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import Dockerode from 'dockerode';
import { removeWhenGone } from './detached-removal';
import { onProcessExit } from './exit-cleanup';
import { unmountAllUnder } from './mounts';
import { ensureTools } from './require-tool';
import { spawnService, waitUntilReady, type ServiceProcess } from './service-process';
import { removeTempDir, tempDir } from './tmp';

export { importBusyboxImage } from './busybox-image';

export interface RunningDocker {
  /** Path of the engine's private unix socket. */
  socket: string;
  /** "unix:///..." — set as DOCKER_HOST for the docker CLI, skopeo (docker-daemon:) and friends. */
  host: string;
  /** A dockerode client already bound to this engine. */
  docker: Dockerode;
  /** Stops dockerd (and the containerd it started), unmounts what it left, removes all its files. */
  stop(): Promise<void>;
}

const readyTimeoutMs = 60_000;

/**
 * Starts a private Docker engine (Debian's docker.io, needs root): vfs storage, no
 * bridge/iptables/port proxy, its own data root, exec root, pidfile, config file and
 * unix socket, and containerd namespaces of its own so it never touches a system engine.
 * dockerd spawns a private containerd under its exec root (unless a system containerd
 * already listens on /run/containerd/containerd.sock, which it then shares, isolated by namespace).
 * Containers need `NetworkMode: 'none'` or the default; there is no bridge network.
 */
export async function startDockerEngine(): Promise<RunningDocker> {
  if (process.getuid?.() !== 0) {
    throw new Error('startDockerEngine: dockerd needs root; run the suites as root (CI and the dev machines are)');
  }
  await ensureTools(['dockerd', 'containerd', 'runc']);
  const runDir = await tempDir('docker');
  let service: ServiceProcess | undefined;
  // dockerd needs seconds to shut down, longer than an exiting process can wait.
  const forgetExitRemoval = onProcessExit(() => removeWhenGone(service?.pid, runDir));
  try {
    const socket = join(runDir, 'docker.sock');
    const dataRoot = join(runDir, 'data');
    const execRoot = join(runDir, 'exec');
    const configFile = join(runDir, 'daemon.json');
    await mkdir(dataRoot);
    await mkdir(execRoot);
    await writeFile(configFile, '{}\n');
    const namespace = basename(runDir);

    service = spawnService({
      name: `dockerd on ${socket}`,
      command: 'dockerd',
      args: [
        '--storage-driver=vfs',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--ip-masq=false',
        '--bridge=none',
        '--userland-proxy=false',
        `--host=unix://${socket}`,
        `--data-root=${dataRoot}`,
        `--exec-root=${execRoot}`,
        `--pidfile=${join(runDir, 'docker.pid')}`,
        `--config-file=${configFile}`,
        `--containerd-namespace=${namespace}`,
        `--containerd-plugins-namespace=${namespace}-plugins`,
      ],
      logFile: join(runDir, 'dockerd.log'),
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 20_000,
    });
    const docker = new Dockerode({ socketPath: socket });
    const engine = service;
    await waitUntilReady(engine, async () => (await docker.ping()).toString() === 'OK', readyTimeoutMs);
    return {
      socket,
      host: `unix://${socket}`,
      docker,
      stop: async () => {
        await engine.stop();
        await unmountAllUnder(runDir);
        await removeTempDir(runDir);
        forgetExitRemoval();
      },
    };
  } catch (error) {
    await service?.stop();
    await unmountAllUnder(runDir);
    await removeTempDir(runDir);
    forgetExitRemoval();
    throw error;
  }
}
