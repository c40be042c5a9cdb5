import { rmSync } from 'node:fs';
import { onProcessExit } from './exit-cleanup';
import { freePort } from './ports';
import { waitUntilReady, type ServiceProcess } from './service-process';
import { removeTempDir, tempDir } from './tmp';

const startAttempts = 3;

export interface PortServiceLaunch {
  service: ServiceProcess;
  isReady: () => Promise<boolean>;
}

export interface PortServiceOptions<T> {
  /** tempDir prefix of the run dir (the sweep of killed runs knows `registry` and `docker`). */
  runDirPrefix: string;
  /** Files the service needs before its first start (config, data folders). */
  prepare?: (runDir: string) => Promise<void>;
  /** Starts the service on `port`. */
  launch: (port: number, runDir: string) => Promise<PortServiceLaunch> | PortServiceLaunch;
  /** What the service's log says when another process took the port between freePort() and the bind. */
  portTaken: RegExp;
  readyTimeoutMs?: number;
  /** What callers get of the running service (stop() is added). */
  describe: (port: number) => T;
}

/**
 * A service in its own temp run dir on a free 127.0.0.1 port: started again on another port when the one picked
 * was taken meanwhile; stop() (or this process exiting) stops it and removes the run dir.
 */
export async function startOnFreePort<T>(options: PortServiceOptions<T>): Promise<T & { stop(): Promise<void> }> {
  const runDir = await tempDir(options.runDirPrefix);
  const forgetExitRemoval = onProcessExit(() => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }));
  try {
    await options.prepare?.(runDir);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const { service, isReady } = await options.launch(port, runDir);
      try {
        await waitUntilReady(service, isReady, options.readyTimeoutMs ?? 30_000);
      } catch (error) {
        if (attempt < startAttempts && options.portTaken.test(service.logTail())) continue;
        throw error;
      }
      return {
        ...options.describe(port),
        stop: async () => {
          await service.stop();
          await removeTempDir(runDir);
          forgetExitRemoval();
        },
      };
    }
  } catch (error) {
    await removeTempDir(runDir);
    forgetExitRemoval();
    throw error;
  }
}
