import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { unmountAllUnder } from '../support/mounts';
import { removeTempDir } from '../support/tmp';

interface HeldServices {
  registryUrl: string;
  registryStorage: string;
  dockerSocket: string;
}

/** Runs fixtures/hold-services.ts in a separate Node process and reads the services it started. */
async function startHolder(
  mode: 'hold' | 'exit',
): Promise<{ kill: (signal?: NodeJS.Signals) => void; services: HeldServices }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'fixtures', 'hold-services.ts'), mode],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hold-services exited with ${code}: ${stderr}`)));
  });
  return { kill: (signal = 'SIGKILL') => child.kill(signal), services: JSON.parse(firstLine) as HeldServices };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`still not true after 600 checks: ${what}`);
}

const answers = (probe: () => Promise<unknown>) =>
  probe().then(
    () => true,
    () => false,
  );
const runDirsOf = (services: HeldServices) => [dirname(services.registryStorage), dirname(services.dockerSocket)];

async function removeRunDirs(services: HeldServices): Promise<void> {
  for (const runDir of runDirsOf(services)) {
    await unmountAllUnder(runDir);
    await removeTempDir(runDir);
  }
}

describe('services started by the harness', () => {
  it('die when the Node process that started them is killed with SIGKILL', async () => {
    const { kill, services } = await startHolder('hold');
    const docker = new Dockerode({ socketPath: services.dockerSocket });
    try {
      expect(await answers(() => fetch(`${services.registryUrl}/v2/`))).toBe(true);
      expect(await answers(() => docker.ping())).toBe(true);

      kill();

      await eventually(
        async () => !(await answers(() => fetch(`${services.registryUrl}/v2/`))),
        'registry stopped answering',
      );
      await eventually(async () => !(await answers(() => docker.ping())), 'dockerd stopped answering');
    } finally {
      kill();
      await removeRunDirs(services);
    }
  });

  it('are stopped and their temp dirs removed when that process exits without calling stop()', async () => {
    const { services } = await startHolder('exit');
    const docker = new Dockerode({ socketPath: services.dockerSocket });
    try {
      await eventually(
        async () => !(await answers(() => fetch(`${services.registryUrl}/v2/`))),
        'registry stopped answering',
      );
      await eventually(async () => !(await answers(() => docker.ping())), 'dockerd stopped answering');
      for (const runDir of runDirsOf(services)) {
        await eventually(async () => !existsSync(runDir), `${runDir} removed`);
      }
    } finally {
      await removeRunDirs(services);
    }
  });

  it('are stopped and their temp dirs removed when that process gets SIGTERM (how vitest ends its workers)', async () => {
    const { kill, services } = await startHolder('hold');
    const docker = new Dockerode({ socketPath: services.dockerSocket });
    try {
      kill('SIGTERM');
      await eventually(
        async () => !(await answers(() => fetch(`${services.registryUrl}/v2/`))),
        'registry stopped answering',
      );
      await eventually(async () => !(await answers(() => docker.ping())), 'dockerd stopped answering');
      for (const runDir of runDirsOf(services)) {
        await eventually(async () => !existsSync(runDir), `${runDir} removed`);
      }
    } finally {
      kill();
      await removeRunDirs(services);
    }
  });
});
