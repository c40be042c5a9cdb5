import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBusyboxImage, startDockerEngine, type RunningDocker } from '../support/docker';
import { tempDirFor } from '../support/tmp';

const CLI = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');
let engine: RunningDocker;

beforeAll(async () => {
  engine = await startDockerEngine();
  afterAll(() => engine.stop());
  // What the app Dockerfiles start FROM, already in the engine (no registry, no network).
  await importBusyboxImage(engine, 'openeuler/openeuler:22.03-lts-sp3');
});

describe('app images from a meta.yml', () => {
  it('builds every meta.yml image with RUN in the engine, tags latest on the highest version, and checks it', async () => {
    const root = await tempDirFor(afterAll, 'app-ws');
    const dir = join(root, 'apps/redis');
    await writeFile(join(root, 'nx.json'), '{}\n');
    for (const version of ['6.2.7', '7.2.4']) {
      await mkdir(join(dir, version, '22.03-lts-sp3'), { recursive: true });
      await writeFile(join(dir, version, '22.03-lts-sp3', 'version.txt'), `${version}\n`);
      await writeFile(
        join(dir, version, '22.03-lts-sp3', 'Dockerfile'),
        'FROM openeuler/openeuler:22.03-lts-sp3\nCOPY version.txt /\nRUN ln -sf /usr/share/zoneinfo/UTC /etc/localtime && cat /version.txt > /redis-version\n',
      );
    }
    await writeFile(
      join(dir, 'meta.yml'),
      '6.2.7-oe2203sp3:\n  path: 6.2.7/22.03-lts-sp3/Dockerfile\n  arch: x86_64\n7.2.4-oe2203sp3:\n  path: 7.2.4/22.03-lts-sp3/Dockerfile\n  arch: x86_64\n',
    );
    await writeFile(
      join(dir, 'project.yaml'),
      'kind: ContainerImage\nname: redis\narches: [amd64, arm64]\napp: { meta: meta.yml }\nregistries:\n  - { registry: docker.io, repository: openeuler/redis }\n',
    );
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKER_HOST: engine.host,
      DOCKYARD_STORE: await tempDirFor(afterAll, 'store'),
    };
    const build = await execa('node', [CLI, 'build', '--project', 'apps/redis'], {
      cwd: root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(build.exitCode, build.all).toBe(0);
    const summary = JSON.parse(await readFile(join(root, 'dist/redis/build/build.json'), 'utf8')) as {
      images: { tags: string[]; platforms: { arch: string }[] }[];
    };
    expect(summary.images.map((i) => [i.tags, i.platforms.map((p) => p.arch)])).toEqual([
      [['6.2.7-oe2203sp3'], ['amd64']],
      [['7.2.4-oe2203sp3', 'latest'], ['amd64']],
    ]);
    const check = await execa('node', [CLI, 'check', 'apps/redis'], {
      cwd: root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(check.exitCode, check.all).toBe(0);
    expect(check.stdout).toContain('ok   redis:7.2.4-oe2203sp3 amd64: timezone is UTC');
    expect(check.stdout).not.toContain('os-release');
  });
});
