import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockyard } from '../support/cli';
import { startDockerEngine, type RunningDocker } from '../support/docker';
import { NxWorkspace, REPO_ROOT } from '../support/nx-workspace';
import { writeRepositoryTree } from '../support/openeuler-repository';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { serveFolder } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';
import { exampleWorkspace } from './workspace';

let engine: RunningDocker;
let registry: RunningRegistry;
let workspace: NxWorkspace;
let env: Record<string, string>;

/** The build step of build-request.yml: its `run:` as GitHub runs it (bash -eo pipefail), with the step's env. */
async function workflowBuildStep(outputs: Record<string, string>) {
  const workflow = parse(await readFile(join(REPO_ROOT, '.github/workflows/build-request.yml'), 'utf8')) as {
    jobs: { build: { steps: { id?: string; run: string }[] } };
  };
  const step = workflow.jobs.build.steps.find((s) => s.id === 'build')!;
  return execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    cwd: workspace.root,
    reject: false,
    all: true,
    extendEnv: false,
    timeout: 300_000,
    env: {
      ...env,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      TARGETS: outputs.targets!,
      PROJECT: outputs.project!,
      VERSIONS: outputs.versions ?? '',
    },
  });
}

const builtVersions = async () =>
  (
    JSON.parse(await readFile(workspace.path('dist/openeuler/build/build.json'), 'utf8')) as {
      images: { name: string }[];
    }
  ).images.map((i) => i.name);

beforeAll(async () => {
  engine = await startDockerEngine();
  afterAll(() => engine.stop());
  registry = await startRegistry();
  afterAll(() => registry.stop());
  const repo = await tempDirFor(afterAll, 'oe-repo');
  for (const version of ['22.03-LTS-SP1', '24.03-LTS']) await writeRepositoryTree(repo, { version, arches: ['amd64'] });
  const server = await serveFolder(repo);
  afterAll(() => server.stop());
  workspace = await NxWorkspace.create('oe-versions');
  afterAll(() => workspace.dispose());
  // Two versions, one arch, no RUN (built daemonless); the fixture rootfs keeps openEuler's Asia/Shanghai time.
  await exampleWorkspace(workspace.root, {
    repo: server.url,
    registries: [{ registry: registry.host, repository: 'openeuler/openeuler' }],
    dockerfile: 'Dockerfile',
    arches: ['amd64'],
    check: { timezone: 'CST' },
  });
  await workspace.write(
    'releases/containers/openeuler/Dockerfile',
    'FROM scratch\nARG TARGETARCH\nADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /\nCMD ["bash"]\n',
  );
  await workspace.commit('the openeuler example, two versions, offline');
  env = { PATH: process.env.PATH!, HOME: process.env.HOME!, DOCKER_HOST: engine.host };
  env.DOCKYARD_STORE = await tempDirFor(afterAll, 'store');
});

describe('/build of one version of a ContainerImage', () => {
  it('builds, checks and pushes that version only, through the workflow step as written', async () => {
    await mkdir(workspace.path('events'), { recursive: true });
    await writeFile(
      workspace.path('events/build.json'),
      JSON.stringify({
        action: 'created',
        comment: { body: '/build openeuler 24.03-LTS', author_association: 'MEMBER', user: { login: 'ada' } },
        issue: { number: 7 },
        repository: { full_name: 'acme/platform' },
      }),
    );
    const comment = await dockyard(
      ['ci', 'comment', '--event', 'events/build.json', '--out', '.dockyard-ci/request.json'],
      env,
      workspace.root,
    );
    expect(comment.exitCode, comment.stderr).toBe(0);
    const outputs = Object.fromEntries(comment.stdout.split('\n').map((line) => line.split('=') as [string, string]));
    expect(outputs).toEqual({
      status: 'accepted',
      project: 'openeuler',
      targets: 'build,check,publish',
      versions: '24.03-LTS',
    });

    const run = await workflowBuildStep(outputs);
    expect(run.exitCode, run.all).toBe(0);
    expect(await builtVersions()).toEqual(['24.03-LTS']);
    const junit = await readFile(workspace.path('dist/openeuler/check/junit.xml'), 'utf8');
    expect(junit).toContain('openeuler:24.03-lts');
    expect(junit).not.toContain('22.03');
    expect(junit).toContain('failures="0"');
    const tags = (await (await fetch(`${registry.url}/v2/openeuler/openeuler/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['24.03', '24.03-lts', 'latest']);
    expect(await readFile(workspace.path('.dockyard-ci/build.log'), 'utf8')).toContain('--versions=24.03-LTS');
  });

  it('Nx caches the one-version build apart from the whole build', async () => {
    const whole = await workspace.nx(['run', 'openeuler:build', '--output-style=static'], env);
    expect(whole.exitCode, whole.all).toBe(0);
    expect(whole.all).not.toMatch(/local cache|existing outputs match the cache/);
    expect(await builtVersions()).toEqual(['22.03-LTS-SP1', '24.03-LTS']);

    const one = await workspace.nx(
      ['run-many', '-t', 'build', '--projects=openeuler', '--versions=24.03-LTS', '--output-style=static'],
      env,
    );
    expect(one.exitCode, one.all).toBe(0);
    expect(one.all).toContain('[local cache]');
    expect(await builtVersions()).toEqual(['24.03-LTS']);
  });

  it('publish of a version the last build did not make names it and pushes nothing', async () => {
    const publish = await dockyard(
      ['publish', 'releases/containers/openeuler', '--versions', '22.03-LTS-SP1'],
      env,
      workspace.root,
    );
    expect(publish.exitCode).toBe(1);
    expect(publish.stderr).toContain(
      'dist/openeuler/build/build.json: no image of openeuler 22.03-LTS-SP1 (the last build made 24.03-LTS)',
    );
    const unknown = await dockyard(
      ['check', 'releases/containers/openeuler', '--versions', '25.03'],
      env,
      workspace.root,
    );
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain(
      'releases/containers/openeuler/project.yaml: openeuler has no version 25.03 (its versions: 22.03-LTS-SP1, 24.03-LTS)',
    );
    const tags = (await (await fetch(`${registry.url}/v2/openeuler/openeuler/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['24.03', '24.03-lts', 'latest']);
  });
});
