import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, pushImage, randomLayer } from '../support/test-images';
import { releaseWorkspace } from './workspace';

const AGAIN = 'copy or download it again';

describe('bundle verify and push on a damaged or missing file, and folders that cannot be made', () => {
  let registry: RunningRegistry;
  let work: string;
  let project: string;
  let bundle: string;
  const env = () => ({ DOCKYARD_STORE: join(work, 'store') });

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('bundle-damaged');
    await pushImage({ base: registry.url }, 'app/one', 'v1', buildImage({ layers: [randomLayer(300_000)] }));
    project = await releaseWorkspace(join(work, 'ws'), {
      name: 'one',
      version: 'v1',
      images: { extra: ['app/one:v1'] },
      sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
      bundle: { images: { format: 'registry-dir', file: 'images.tar' } },
    });
    const made = await dockyard(['bundle', project], env());
    expect(made.exitCode, made.stderr).toBe(0);
    bundle = join(work, 'ws', 'dist', 'one', 'bundle', 'one-v1.tar.gz');
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('names a cut-short or corrupt archive and says to fetch it again, for verify and push alike', async () => {
    const bytes = await readFile(bundle);
    const cut = join(work, 'cut.tar.gz');
    await writeFile(cut, bytes.subarray(0, bytes.length >> 1));
    const corrupt = join(work, 'corrupt.tar.gz');
    const flipped = Buffer.from(bytes);
    for (let i = bytes.length >> 2; i < (bytes.length >> 2) + 64; i++) flipped[i] = flipped[i]! ^ 0x5a;
    await writeFile(corrupt, flipped);
    for (const file of [cut, corrupt]) {
      for (const args of [
        ['bundle', 'verify', file],
        ['bundle', 'push', file, '--to', registry.host],
      ]) {
        const result = await dockyard(args, env());
        expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toContain(`${file} is damaged (`);
        expect(result.stderr).toContain(AGAIN);
      }
    }
    // The intact bundle still verifies.
    await copyFile(bundle, join(work, 'intact.tar.gz'));
    expect((await dockyard(['bundle', 'verify', join(work, 'intact.tar.gz')])).exitCode).toBe(0);
  });

  it('names a bundle file that is not there', async () => {
    for (const missing of ['/nonexistent', '/nonexistent.tar.gz']) {
      for (const args of [
        ['bundle', 'verify', missing],
        ['bundle', 'push', missing, '--to', registry.host],
      ]) {
        const result = await dockyard(args, env());
        expect(result.exitCode).toBe(1);
        expect(result.stderr).toBe(
          `dockyard bundle: ${missing}: no such file; name a bundle file (dockyard bundle writes them in dist/<project>/bundle/)`,
        );
      }
    }
  });

  it('refuses --store, $DOCKYARD_STORE and --out folders that cannot be made, naming the flag and the path', async () => {
    const stored = await dockyard(['bundle', project, '--store', '/proc/x'], env());
    expect(stored.exitCode).toBe(2);
    expect(stored.stderr).toContain(
      '--store /proc/x: cannot create this folder (ENOENT); name a folder you can write to',
    );
    const fromEnv = await dockyard(['bundle', project], { DOCKYARD_STORE: '/proc/x' });
    expect(fromEnv.exitCode).toBe(1);
    expect(fromEnv.stderr).toContain(
      '/proc/x: cannot create the content store here (ENOENT); choose a folder you can write to',
    );
    const pulled = await dockyard(['bundle', 'pull', `${registry.host}/bundles/one:v1`, '--out', '/proc/x'], env());
    expect(pulled.exitCode).toBe(2);
    expect(pulled.stderr).toContain('--out /proc/x: cannot create this folder (ENOENT)');
    const collected = await dockyard(['collect', project, '--out', '/proc/x'], env());
    expect(collected.exitCode).toBe(2);
    expect(collected.stderr).toContain('--out /proc/x: cannot create this folder (ENOENT)');
  });
});
