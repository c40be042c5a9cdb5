import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';
import { exampleWorkspace, serveExampleRepository } from './workspace';

const CLI = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');
const UNREACHABLE = 'unix:///nonexistent/docker.sock';

let server: StaticServer;
beforeAll(async () => {
  server = await serveExampleRepository(afterAll);
});

describe('a ContainerImage build that fails', () => {
  it('names DOCKER_HOST when the engine does not answer, and keeps the previous build in dist/', async () => {
    const root = await tempDirFor(afterAll, 'oe-ws-failed');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKYARD_STORE: await tempDirFor(afterAll, 'store'),
      DOCKER_HOST: UNREACHABLE,
    };
    const build = () =>
      execa('node', [CLI, 'build', '--project', 'releases/containers/openeuler'], {
        cwd: root,
        reject: false,
        env,
        extendEnv: false,
      });
    await exampleWorkspace(root, {
      repo: server.url,
      registries: [{ registry: '127.0.0.1:1', repository: 'o/o' }],
      dockerfile: 'Dockerfile',
      arches: ['amd64'],
    });
    const dockerfile = join(root, 'releases/containers/openeuler/Dockerfile');
    // Without RUN the build needs no engine: this is the good output the failed build must leave alone.
    await writeFile(
      dockerfile,
      'FROM scratch\nARG TARGETARCH\nADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /\nCMD ["bash"]\n',
    );
    const good = await build();
    expect(good.exitCode, good.stderr).toBe(0);
    const dist = join(root, 'dist/openeuler');
    const summary = await readFile(join(dist, 'build/build.json'), 'utf8');
    const index = await readFile(join(dist, 'build/oci/index.json'), 'utf8');

    await writeFile(
      dockerfile,
      'FROM scratch\nARG TARGETARCH\nADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /\nRUN echo built > /built\n',
    );
    const failed = await build();
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain(`the Docker engine at ${UNREACHABLE} did not answer`);
    expect(failed.stderr).toContain(
      `DOCKER_HOST=${UNREACHABLE}: start dockerd, or point DOCKER_HOST at a Docker engine that runs`,
    );
    expect(await readFile(join(dist, 'build/build.json'), 'utf8')).toBe(summary);
    expect(await readFile(join(dist, 'build/oci/index.json'), 'utf8')).toBe(index);
    expect(await readdir(dist)).toEqual(['build']);
  });
});
