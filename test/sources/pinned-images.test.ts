import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { NxWorkspace } from '../support/nx-workspace';
import { dockyard } from '../support/cli';
import { buildImage, pushImage, pushIndex, randomLayer, type PushTarget } from '../support/test-images';

/** Ran tasks vs cache hits, from Nx's per-task lines (`[local cache]` marks a hit). */
function ranAndCached(output: string): { ran: string[]; cached: string[] } {
  const tasks = [...output.matchAll(/^\s*> nx run ([\w-]+:[\w-]+)( +\[local cache\])?/gm)];
  return {
    ran: tasks
      .filter((t) => !t[2])
      .map((t) => t[1]!)
      .sort(),
    cached: tasks
      .filter((t) => t[2])
      .map((t) => t[1]!)
      .sort(),
  };
}

describe('image digests pinned in project.lock.yaml (real registry, real Nx)', () => {
  let registry: RunningRegistry;
  let target: PushTarget;
  let ws: NxWorkspace;
  let store: string;
  const env = () => ({ DOCKYARD_STORE: store });
  const pushSingle = (repository: string) =>
    pushImage(target, repository, 'v1', buildImage({ layers: [randomLayer(2048)] }));

  async function inventory(project: string): Promise<Record<string, string>> {
    const text = await readFile(ws.path(`dist/${project}/bundle/inventory.json`), 'utf8');
    return Object.fromEntries(
      (JSON.parse(text) as { images: { name: string; digest: string }[] }).images.map((i) => [i.name, i.digest]),
    );
  }

  async function lockedDigests(folder: string): Promise<Record<string, string>> {
    const lock = parse(await readFile(ws.path(`${folder}/project.lock.yaml`), 'utf8')) as {
      images: Record<string, { digest: string }>;
    };
    return Object.fromEntries(Object.entries(lock.images).map(([name, entry]) => [name, entry.digest]));
  }

  beforeAll(async () => {
    registry = await startRegistry();
    target = { base: registry.url };
    store = await tempDir('pinned-store');
    const sync = { from: { registry: registry.host }, to: [{ registry: registry.host }] };
    ws = await NxWorkspace.create('pinned-images', {
      'releases/demo/project.yaml': stringify({
        kind: 'Release',
        name: 'demo',
        version: 'v1.0.0',
        images: { extra: ['app/one:v1', 'app/multi:v1'] },
        sync,
        bundle: { images: { format: 'registry-dir' } },
      }),
      'plugins/pl/project.yaml': stringify({
        kind: 'Plugin',
        name: 'pl',
        releaseRegistry: registry.host,
        spec: {
          version: 'v0.1.0',
          service: { port: 8081, image: `${registry.host}/release/compass-plugins-pl:v0.1.0` },
        },
      }),
    });
  });
  afterAll(async () => {
    await ws?.dispose();
    await registry?.stop();
    if (store) await removeTempDir(store);
  });

  it('a moved tag never reaches a bundle until resolve -c update moves the lock; resolve -c check names the move', async () => {
    const one = await pushSingle('app/one');
    const multi = await pushIndex(target, 'app/multi', 'v1', [
      buildImage({ layers: [randomLayer(1024)] }),
      buildImage({ layers: [randomLayer(1024)], architecture: 'arm64' }),
    ]);
    const service = await pushImage(
      target,
      'release/compass-plugins-pl',
      'v0.1.0',
      buildImage({ layers: [randomLayer(1024)] }),
    );

    const first = await ws.nx(['run-many', '-t', 'bundle', '--outputStyle=stream'], env());

    expect(first.exitCode, first.all).toBe(0);
    expect(await lockedDigests('releases/demo')).toEqual({ 'app/multi:v1': multi.digest, 'app/one:v1': one });
    expect(await lockedDigests('plugins/pl')).toEqual({
      [`${registry.host}/release/compass-plugins-pl:v0.1.0`]: service,
    });
    expect(await inventory('demo')).toEqual({ 'app/multi:v1': multi.digest, 'app/one:v1': one });

    // Someone pushes other content under both tags.
    const movedOne = await pushSingle('app/one');
    const movedService = await pushImage(
      target,
      'release/compass-plugins-pl',
      'v0.1.0',
      buildImage({ layers: [randomLayer(1024)] }),
    );
    expect(movedOne).not.toBe(one);

    const second = await ws.nx(['run-many', '-t', 'bundle', '--outputStyle=stream'], env());
    expect(second.exitCode, second.all).toBe(0);
    expect(ranAndCached(second.all)).toEqual({
      ran: ['demo:resolve', 'pl:resolve'],
      cached: ['demo:bundle', 'pl:bundle'],
    });
    expect(await inventory('demo')).toEqual({ 'app/multi:v1': multi.digest, 'app/one:v1': one });
    // Run outside the cache too, the bundle reads the locked digest, not the tag.
    const direct = await dockyard(['bundle', ws.path('plugins/pl')], env());
    expect(direct.exitCode, direct.stderr).toBe(0);
    expect(Object.values(await inventory('pl'))).toEqual([service]);

    const check = await ws.nx(['run', 'demo:resolve', '-c', 'check', '--outputStyle=stream'], env());
    expect(check.exitCode).not.toBe(0);
    expect(check.all).toContain(`~ image app/one:v1: ${one} → ${movedOne}`);
    expect(check.all).not.toContain('app/multi:v1:');

    const update = await ws.nx(['run-many', '-t', 'resolve', '-c', 'update', '--outputStyle=stream'], env());
    expect(update.exitCode, update.all).toBe(0);
    const third = await ws.nx(['run-many', '-t', 'bundle', '--outputStyle=stream'], env());
    expect(third.exitCode, third.all).toBe(0);
    expect(ranAndCached(third.all).cached).toEqual([]);
    expect(await inventory('demo')).toEqual({ 'app/multi:v1': multi.digest, 'app/one:v1': movedOne });
    expect(Object.values(await inventory('pl'))).toEqual([movedService]);
    expect((await ws.nx(['run', 'demo:resolve', '-c', 'check', '--outputStyle=stream'], env())).exitCode).toBe(0);
  });

  it('an image the lock does not pin is an error naming it and resolve, never a tag read', async () => {
    await pushImage(target, 'app/new', 'v1', buildImage({ layers: [randomLayer(512)] }));
    const spec = parse(await readFile(ws.path('releases/demo/project.yaml'), 'utf8'));
    spec.bundle.images.extra = ['app/new:v1'];
    await ws.write('releases/demo/project.yaml', stringify(spec));
    const bundled = await dockyard(['bundle', ws.path('releases/demo')], env());
    expect(bundled.exitCode).not.toBe(0);
    expect(bundled.stderr).toMatch(
      /image app\/new:v1 \(\S*releases\/demo\/project\.yaml:bundle\.images\.extra\[0\]\) is not locked/,
    );
    expect(bundled.stderr).toContain('run `dockyard resolve`');
    const check = await dockyard(['resolve', ws.path('releases/demo'), '--check'], env());
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(/\+ image app\/new:v1: sha256:[0-9a-f]{64}/);
  });
});
