import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bcryptHtpasswdLine } from './htpasswd';
import { startOnFreePort } from './port-service';
import { registryConfigYaml, type RegistryTokenAuth } from './registry-config';
import { ensureTools } from './require-tool';
import { spawnService } from './service-process';

export interface RegistryOptions {
  /** Turns on htpasswd (bcrypt) auth with this one user. */
  auth?: { username: string; password: string };
  /** Turns on token auth (`auth: token`) instead, trusting this issuer (see token-server.ts). */
  tokenAuth?: RegistryTokenAuth;
  /** Serve an existing registry-storage dir (the one holding docker/registry/v2/...); it is never removed. */
  storageDir?: string;
  /** Refuse pushes and deletes (distribution's maintenance.readonly). */
  readOnly?: boolean;
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT", for image references. */
  host: string;
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** The storage root directory (holds docker/registry/v2/...). */
  storageDir: string;
  /** Stops the registry and removes its temp files (and its storage, unless storageDir was given). */
  stop(): Promise<void>;
}

/** Starts Debian's `docker-registry serve` (distribution 2.8) on a free 127.0.0.1 port. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  await ensureTools(opts.auth ? ['docker-registry', 'htpasswd'] : ['docker-registry']);
  let storageDir = opts.storageDir ?? '';
  let htpasswdFile: string | undefined;
  return startOnFreePort({
    runDirPrefix: 'registry',
    async prepare(runDir) {
      storageDir ||= join(runDir, 'storage');
      await mkdir(storageDir, { recursive: true });
      if (opts.auth) {
        htpasswdFile = join(runDir, 'htpasswd');
        await writeFile(htpasswdFile, `${await bcryptHtpasswdLine(opts.auth.username, opts.auth.password)}\n`, {
          mode: 0o600,
        });
      }
    },
    async launch(port, runDir) {
      const configFile = join(runDir, `config-${port}.yml`);
      await writeFile(
        configFile,
        registryConfigYaml({
          port,
          storageDir,
          readOnly: opts.readOnly ?? false,
          htpasswdFile,
          tokenAuth: opts.tokenAuth,
        }),
      );
      const service = spawnService({
        name: `docker-registry on 127.0.0.1:${port}`,
        command: 'docker-registry',
        args: ['serve', configFile],
        logFile: join(runDir, `registry-${port}.log`),
        // Nothing to flush: an unfinished upload is lost either way.
        stopSignal: 'SIGKILL',
      });
      return {
        service,
        isReady: () => answersV2(`http://127.0.0.1:${port}`, opts.auth !== undefined || opts.tokenAuth !== undefined),
      };
    },
    portTaken: /address already in use/,
    describe: (port) => ({ host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, storageDir }),
  });
}

async function answersV2(url: string, withAuth: boolean): Promise<boolean> {
  const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status === 200 || (withAuth && response.status === 401);
}
