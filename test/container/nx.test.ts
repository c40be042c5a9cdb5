import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { startDockerEngine, type RunningDocker } from '../support/docker';
import { enableArm64Emulation } from '../support/foreign-arch';
import { startRegistry, type RunningRegistry } from '../support/registry';
import type { StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';
import { exampleWorkspace, serveExampleRepository } from './workspace';

let engine: RunningDocker;
let server: StaticServer;
let registry: RunningRegistry;
let workspace: NxWorkspace;

beforeAll(async () => {
  await enableArm64Emulation();
  engine = await startDockerEngine();
  afterAll(() => engine.stop());
  server = await serveExampleRepository(afterAll);
  registry = await startRegistry();
  afterAll(() => registry.stop());
  workspace = await NxWorkspace.create('oe-nx');
  afterAll(() => workspace.dispose());
  await exampleWorkspace(workspace.root, {
    repo: server.url,
    registries: [{ registry: registry.host, repository: 'openeuler/openeuler' }],
  });
  await workspace.commit('the openeuler example, offline');
});

describe('Nx targets of a ContainerImage', () => {
  it('publish runs build and check first, and a second build is a cache hit', async () => {
    const env = { DOCKER_HOST: engine.host, DOCKYARD_STORE: await tempDirFor(afterAll, 'store') };
    const run = await workspace.nx(['run', 'openeuler:publish', '--outputStyle=static'], env);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('nx run openeuler:build');
    expect(run.all).toContain('nx run openeuler:check');
    expect(await readFile(workspace.path('dist/openeuler/check/junit.xml'), 'utf8')).toContain('failures="0"');
    const tags = (await (await fetch(`${registry.url}/v2/openeuler/openeuler/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['22.03', '22.03-lts-sp1', '24.03', '24.03-lts', 'latest']);
    const again = await workspace.nx(['run', 'openeuler:build', '--outputStyle=static'], env);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toMatch(/local cache|existing outputs match the cache/);
  });
});
