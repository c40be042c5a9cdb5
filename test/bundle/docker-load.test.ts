import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerEngine, type RunningDocker } from '../support/docker';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { runContainer } from '../support/run-container';
import { removeTempDir, tempDir } from '../support/tmp';
import { busyboxRootfsTar } from '../support/busybox-layer';
import { dockyard } from '../support/cli';
import { buildImage, layerFromTar, pushImage, randomLayer, type BuiltImage } from '../support/test-images';
import { projectWorkspace } from './workspace';

const run = promisify(execFile);

async function load(engine: RunningDocker, archive: string): Promise<void> {
  const stream = await engine.docker.loadImage(createReadStream(archive));
  await new Promise((resolve, reject) =>
    engine.docker.modem.followProgress(stream, (err: Error | null, out: unknown) => (err ? reject(err) : resolve(out))),
  );
}

describe('bundles docker loads (Plugin package, Release with a docker-archive payload)', () => {
  let registry: RunningRegistry;
  let engine: RunningDocker;
  let work: string;
  let service: BuiltImage;
  let app: BuiltImage;
  let releaseImage: BuiltImage;

  beforeAll(async () => {
    [registry, engine] = await Promise.all([startRegistry(), startDockerEngine()]);
    work = await tempDir('bundle-docker');
    const base = layerFromTar(busyboxRootfsTar());
    service = buildImage({ layers: [base, randomLayer(10_000)], cmd: ['sh'] });
    app = buildImage({ layers: [base, randomLayer(10_000)], cmd: ['sh'] });
    releaseImage = buildImage({ layers: [base], cmd: ['sh'] });
    await pushImage({ base: registry.url }, 'release/compass-plugins-demo', 'v0.1.0', service);
    await pushImage({ base: registry.url }, 'release/app', 'v1', app);
    await pushImage({ base: registry.url }, 'release/release', 'v1.0.0', releaseImage);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([registry?.stop(), engine?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('packs a plugin as the seed lays it out and a Release that ships it, each image docker-loadable and runnable with its tag', async () => {
    const plugin = {
      kind: 'Plugin',
      name: 'demo',
      alias: 'Demo',
      releaseRegistry: registry.host,
      spec: {
        class: 'tools',
        version: 'v0.1.0',
        description: 'demo plugin',
        service: { port: 8090, image: `${registry.host}/release/compass-plugins-demo:v0.1.0` },
      },
    };
    const release = {
      kind: 'Release',
      name: 'suite',
      version: 'v2.0.0',
      images: { extra: ['release/app:v1'] },
      sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
      ships: { plugins: ['demo'] },
      bundle: {
        name: 'suite-{version}',
        releaseImage: `${registry.host}/release/release:v1.0.0`,
        images: { format: 'docker-archive', file: 'images.tar' },
        files: [{ from: 'install.sh', mode: '0755' }],
      },
    };
    const ws = join(work, 'ws');
    const pluginDir = await projectWorkspace(ws, [
      { folder: 'plugins/demo', spec: plugin },
      { folder: 'releases/suite', spec: release, files: { 'install.sh': '#!/bin/sh\n' } },
    ]);
    const env = { DOCKYARD_STORE: join(work, 'store') };
    const packed = await dockyard(['bundle', pluginDir], env);
    expect(packed.stderr).toBe('');
    expect(packed.exitCode).toBe(0);
    const pkg = join(ws, 'dist', 'demo', 'bundle', 'compass-plugins-demo-v0.1.0.tar.gz');
    const members = (await run('tar', ['-tzf', pkg])).stdout.trim().split('\n');
    expect(members).toEqual([
      'inventory.json',
      'compass-plugins-demo-service-v0.1.0-image.tar.gz',
      'compass-plugins-demo.yaml',
      'sbom.cdx.json',
      'sha256sums.txt',
    ]);
    const unpacked = join(work, 'pkg');
    await mkdir(unpacked);
    await run('tar', ['-xzf', pkg, '-C', unpacked]);
    expect(parse(await readFile(join(unpacked, 'compass-plugins-demo.yaml'), 'utf8'))).toEqual({
      metadata: { name: 'demo', alias: 'Demo' },
      spec: plugin.spec,
    });
    await load(engine, join(unpacked, 'compass-plugins-demo-service-v0.1.0-image.tar.gz'));
    const tag = `${registry.host}/release/compass-plugins-demo:v0.1.0`;
    expect((await engine.docker.getImage(tag).inspect()).Id).toBe(service.config.digest);
    expect((await runContainer(engine, tag, ['echo', 'plugin ok'])).stdout.trim()).toBe('plugin ok');

    const made = await dockyard(['bundle', join(ws, 'releases', 'suite')], env);
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    const bundle = join(ws, 'dist', 'suite', 'bundle', 'suite-v2.0.0.tar.gz');
    const listing = (await run('tar', ['-tvzf', bundle])).stdout;
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 .* suite-v2.0.0\/install.sh/);
    expect(listing).toContain('suite-v2.0.0/plugins/compass-plugins-demo-v0.1.0.tar.gz');
    expect(listing).toContain('suite-v2.0.0/image/release.tar.gz');
    const out = join(work, 'suite');
    await mkdir(out);
    await run('tar', ['-xzf', bundle, '-C', out]);
    await load(engine, join(out, 'suite-v2.0.0', 'images.tar'));
    expect((await engine.docker.getImage('release/app:v1').inspect()).Id).toBe(app.config.digest);
    expect((await runContainer(engine, 'release/app:v1', ['echo', 'app ok'])).stdout.trim()).toBe('app ok');
    await load(engine, join(out, 'suite-v2.0.0', 'image', 'release.tar.gz'));
    expect((await engine.docker.getImage(`${registry.host}/release/release:v1.0.0`).inspect()).Id).toBe(
      releaseImage.config.digest,
    );
    const verified = await dockyard(['bundle', 'verify', bundle]);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/OK \(6 files/);
  }, 180_000);
});
