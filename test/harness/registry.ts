import { rmSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { onProcessExit } from './exit-cleanup';
import { bcryptHtpasswdLine } from './htpasswd';
import { freePort } from './ports';
import { registryConfigYaml, type RegistryTokenAuth } from './registry-config';
import { ensureTools } from './require-tool';
import { spawnService, waitUntilReady } from './service-process';
import { removeTempDir, tempDir } from './tmp';

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

const startAttempts = 3;
const readyTimeoutMs = 30_000;

/** Starts Debian's `docker-registry serve` (distribution 2.8) on a free 127.0.0.1 port. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  await ensureTools(opts.auth ? ['docker-registry', 'htpasswd'] : ['docker-registry']);
  const runDir = await tempDir('registry');
  const forgetExitRemoval = onProcessExit(() => rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }));
  try {
    const storageDir = opts.storageDir ?? join(runDir, 'storage');
    await mkdir(storageDir, { recursive: true });
    const htpasswdFile = opts.auth ? join(runDir, 'htpasswd') : undefined;
    if (opts.auth && htpasswdFile) {
      await writeFile(htpasswdFile, `${await bcryptHtpasswdLine(opts.auth.username, opts.auth.password)}\n`, { mode: 0o600 });
    }

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const configFile = join(runDir, `config-${port}.yml`);
      await writeFile(configFile, registryConfigYaml({ port, storageDir, readOnly: opts.readOnly ?? false, htpasswdFile, tokenAuth: opts.tokenAuth }));
      const service = spawnService({
        name: `docker-registry on 127.0.0.1:${port}`,
        command: 'docker-registry',
        args: ['serve', configFile],
        logFile: join(runDir, `registry-${port}.log`),
        // Nothing to flush: an unfinished upload is lost either way.
        stopSignal: 'SIGKILL',
      });
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitUntilReady(service, () => answersV2(url, opts.auth !== undefined || opts.tokenAuth !== undefined), readyTimeoutMs);
      } catch (error) {
        // Another process may have taken the port between freePort() and the bind.
        if (attempt < startAttempts && /address already in use/.test(service.logTail())) continue;
        throw error;
      }
      return {
        host: `127.0.0.1:${port}`,
        url,
        storageDir,
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

async function answersV2(url: string, withAuth: boolean): Promise<boolean> {
  const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status === 200 || (withAuth && response.status === 401);
}
