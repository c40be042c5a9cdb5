import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, pushImage, randomLayer } from '../support/test-images';
import { releaseWorkspace } from './workspace';

const cli = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');

/** A Release whose compressed image payload takes a while to write: 32 MB that gzip cannot shrink. */
function release(host: string) {
  return {
    kind: 'Release',
    name: 'big',
    version: 'v1',
    images: { extra: ['app/big:v1'] },
    sync: { from: { registry: host }, to: [{ registry: host }] },
    bundle: { images: { format: 'registry-dir', file: 'images.tar.gz' } },
  };
}

/** Waits until the bundle's work folder holds part of the payload being written, i.e. the run is mid-write. */
async function midWrite(bundleDir: string, child: ResultPromise): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the run ended before it was interrupted:\n${(await child).all}`);
    for (const name of (await readdir(bundleDir).catch(() => [] as string[])).filter((n) => n.startsWith('.work-'))) {
      for (const file of await readdir(join(bundleDir, name)).catch(() => [] as string[])) {
        if (((await stat(join(bundleDir, name, file)).catch(() => undefined))?.size ?? 0) > 1 << 20) return;
      }
    }
    await sleep(20);
  }
}

/** What an interrupted run may leave in the bundle folder: nothing of its own. */
async function leftovers(bundleDir: string): Promise<string[]> {
  return (await readdir(bundleDir).catch(() => [] as string[])).filter(
    (n) => n.startsWith('.work-') || n.includes('.tmp-'),
  );
}

describe('a bundle interrupted with Ctrl-C while writing the archive', () => {
  let registry: RunningRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('bundle-interrupt');
    await pushImage(
      { base: registry.url },
      'app/big',
      'v1',
      buildImage({ layers: [randomLayer(32 << 20, 'big.bin', 0)] }),
    );
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('removes its work folder and temp archive and says it was interrupted', async () => {
    const store = join(work, 'store');
    const project = await releaseWorkspace(join(work, 'ws'), release(registry.host));
    // Warm the store, so the interrupted run goes straight to writing.
    expect((await dockyard(['bundle', project], { DOCKYARD_STORE: store })).exitCode).toBe(0);
    const bundleDir = join(work, 'ws', 'dist', 'big', 'bundle');
    const child = execa('node', [cli, 'bundle', project], { env: { DOCKYARD_STORE: store }, reject: false, all: true });
    await midWrite(bundleDir, child);
    child.kill('SIGINT');
    const result = await child;
    expect(result.signal).toBe('SIGINT');
    expect(result.stderr.match(/dockyard bundle: interrupted \(SIGINT\)/g)).toHaveLength(1);
    expect(await leftovers(bundleDir)).toEqual([]);
  });

  // Nx answers Ctrl-C by silencing its own output (so nothing lands after the shell prompt) and stopping the task's
  // process tree with SIGTERM: what shows there is that the task cleans up after itself. A SIGTERM to Nx alone (how CI
  // cancels a job) keeps Nx's output on, and the task's interrupted line shows in it.
  it('leaves nothing behind when run through Nx and stopped by Ctrl-C or by a cancelled CI job, and says so in CI', async () => {
    const workspace = await NxWorkspace.create('bundle-interrupt-nx', {
      'releases/big/project.yaml': stringify(release(registry.host)),
    });
    try {
      const env = { DOCKYARD_STORE: join(work, 'store') };
      expect((await dockyard(['resolve', workspace.path('releases/big')], env)).exitCode).toBe(0);
      await workspace.commit('lock');
      const nx = join(workspace.root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
      const bundleDir = workspace.path('dist/big/bundle');
      const interrupted = async (stop: (pid: number) => void) => {
        // Its own process group, as a terminal's foreground job: Ctrl-C reaches Nx and everything it runs.
        const child = execa(process.execPath, [nx, 'run', 'big:bundle', '--output-style=static', '--skip-nx-cache'], {
          cwd: workspace.root,
          reject: false,
          all: true,
          detached: true,
          env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
        });
        await midWrite(bundleDir, child);
        stop(child.pid!);
        return child;
      };

      const ctrlC = await interrupted((pid) => process.kill(-pid, 'SIGINT'));
      expect(ctrlC.exitCode).toBe(130);
      expect(await leftovers(bundleDir)).toEqual([]);

      const cancelled = await interrupted((pid) => process.kill(pid, 'SIGTERM'));
      expect(cancelled.all.match(/dockyard bundle: interrupted \(SIGTERM\)/g)).toHaveLength(1);
      expect(await leftovers(bundleDir)).toEqual([]);
    } finally {
      await workspace.dispose();
    }
  });
});
