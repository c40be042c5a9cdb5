import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, pushIndex, randomLayer } from '../support/test-images';

const EXAMPLE = join(__dirname, '..', '..', 'releases', 'apps', 'nginx');

interface BuildRecord {
  arches: { arch: string; images: { ref: string; digest: string }[] }[];
}

/** The example app copied into a scratch workspace, so dist/ lands there. */
async function workspaceWithExample(work: string, name: string, repository?: string): Promise<string> {
  const ws = join(work, name);
  await mkdir(join(ws, 'apps'), { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  await cp(EXAMPLE, join(ws, 'apps', 'nginx'), { recursive: true });
  if (repository) {
    const file = join(ws, 'apps', 'nginx', 'project.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('docker.io/labring/nginx', repository));
  }
  return ws;
}

describe('the nginx example app', () => {
  let registry: RunningRegistry;
  let mirror: StaticServer;
  let work: string;
  const nginx: { [arch: string]: string } = {};

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('nginx-example');
    const images = ['amd64', 'arm64'].map((architecture) =>
      buildImage({ layers: [randomLayer(30_000)], architecture }),
    );
    await pushIndex({ base: registry.url }, 'library/nginx', '1.25.3', images);
    for (const image of images) nginx[image.platform.architecture] = image.manifest.digest;
    const www = join(work, 'www');
    await mkdir(join(work, 'chart', 'nginx', 'templates'), { recursive: true });
    await writeFile(join(work, 'chart', 'nginx', 'Chart.yaml'), 'apiVersion: v2\nname: nginx\nversion: 1.25.3\n');
    await writeFile(
      join(work, 'chart', 'nginx', 'values.yaml'),
      'image:\n  registry: docker.io\n  repository: library/nginx\n  tag: latest\n',
    );
    await writeFile(
      join(work, 'chart', 'nginx', 'templates', 'deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: nginx }\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: "{{ .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
    );
    await mkdir(www, { recursive: true });
    await createTar({ gzip: true, cwd: join(work, 'chart'), file: join(www, 'nginx-1.25.3.tgz'), portable: true }, [
      'nginx',
    ]);
    for (const arch of ['amd64', 'arm64']) {
      await mkdir(join(www, 'bin', arch), { recursive: true });
      await writeFile(join(www, 'bin', arch, 'nginx-exporter'), `exporter for ${arch}\n`);
    }
    mirror = await serveFolder(www);
  });
  afterAll(async () => {
    await mirror?.stop();
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('builds from a local mirror and registry: the chart and per-arch binary downloaded, nginx carried for each arch', async () => {
    const ws = await workspaceWithExample(work, 'mirrored', `${registry.host}/labring/nginx`);
    const env = {
      NGINX_MIRROR: mirror.url.replace(/\/$/, ''),
      NGINX_REGISTRY: registry.host,
      DOCKYARD_STORE: join(work, 'store'),
    };
    const resolved = await dockyard(['resolve', 'apps/nginx'], env, ws);
    expect(resolved.stdout).toContain(`+ image ${registry.host}/library/nginx:1.25.3: sha256:`);
    const resolveRequests = mirror.requests.length;
    const run = await dockyard(['build', '--project', 'apps/nginx'], env, ws);
    expect(run.stderr).not.toContain('dockyard build:');
    expect(run.exitCode).toBe(0);
    const record = JSON.parse(await readFile(join(ws, 'dist', 'nginx', '1.25.3', 'build.json'), 'utf8')) as BuildRecord;
    for (const { arch, images } of record.arches) {
      expect(images).toEqual([
        {
          ref: `${registry.host}/library/nginx:1.25.3`,
          repository: 'library/nginx',
          tag: '1.25.3',
          digest: nginx[arch],
        },
      ]);
    }
    expect(
      mirror.requests
        .slice(resolveRequests)
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/bin/amd64/nginx-exporter', '/bin/arm64/nginx-exporter', '/nginx-1.25.3.tgz', '/nginx-1.25.3.tgz']);
  });

  it('builds offline as the quick start does: the chart it carries, no image to pull (left to the nodes, via .sealignore)', async () => {
    const ws = await workspaceWithExample(work, 'offline');
    const run = await dockyard(
      ['build', '--project', 'apps/nginx'],
      { DOCKYARD_STORE: join(work, 'store-offline') },
      ws,
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('docker.io/labring/nginx:1.25.3 sha256:');
    const record = JSON.parse(await readFile(join(ws, 'dist', 'nginx', '1.25.3', 'build.json'), 'utf8')) as BuildRecord;
    expect(record.arches.map((a) => [a.arch, a.images.length])).toEqual([
      ['amd64', 0],
      ['arm64', 0],
    ]);
    expect(await readFile(join(ws, 'dist', 'nginx', '1.25.3', 'amd64', 'init.log'), 'utf8')).toContain(
      'chart from files/charts',
    );
  });
});
