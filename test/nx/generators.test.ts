import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksRun } from '../support/nx-output';
import { pluginYaml } from '../support/projects';

/** The generator collection by path: the plugin is no npm package or Nx project, so Nx finds it this way. */
const COLLECTION = './tools/nx-plugin';

/** Each kind's generator, the arguments it is run with, and where its project lands by default. */
const GENERATED = [
  { generator: 'plugin', name: 'metrics', args: [], file: 'plugins/metrics/project.yaml', schema: 'plugin' },
  {
    generator: 'app-image',
    name: 'web',
    args: ['--versions=1.25.3,1.26.0', '--repository=docker.io/labring/web'],
    file: 'releases/apps/web/project.yaml',
    schema: 'app-image',
  },
  {
    generator: 'container-image',
    name: 'base',
    args: ['--versions=24.03-LTS', '--registry=docker.io'],
    file: 'releases/containers/base/project.yaml',
    schema: 'container-image',
  },
  {
    generator: 'cloud-image',
    name: 'vm',
    args: ['--versions=22.03-LTS-SP1', '--uploadUrl=s3://cloud-images/openeuler'],
    file: 'releases/cloud/vm/project.yaml',
    schema: 'cloud-image',
  },
  {
    generator: 'release',
    name: 'product',
    args: ['--plugins=metrics,first', '--appImages=web'],
    file: 'releases/product/project.yaml',
    schema: 'release',
  },
] as const;

describe('nx g generators of the Dockyard plugin', () => {
  let workspace: NxWorkspace;
  const generate = (generator: string, ...args: string[]) =>
    workspace.nx(['g', `${COLLECTION}:${generator}`, ...args, '--no-interactive']);
  const readYaml = async (file: string) => parse(await readFile(workspace.path(file), 'utf8'));

  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-gen', {
      'plugins/first/project.yaml': pluginYaml({ name: 'first', port: 8080, slot: 'sidebar.first' }),
      'plugins/second/project.yaml': pluginYaml({ name: 'second', port: 8081, slot: 'sidebar.second' }),
    });
  });
  afterAll(() => workspace?.dispose());

  it('generates a project of every kind, each pointing editors at its published schema', async () => {
    for (const { generator, name, args, file, schema } of GENERATED) {
      const run = await generate(generator, name, ...args);
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).toContain(`CREATE ${file}`);
      const text = await readFile(workspace.path(file), 'utf8');
      const header = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
      expect(header, text).not.toBeNull();
      expect(join(dirname(file), header![1])).toBe(`libs/project-spec/schemas/${schema}.schema.json`);
      expect(existsSync(join(dirname(workspace.path(file)), header![1]))).toBe(true);
      expect((await readYaml(file)).name).toBe(name);
    }
  });

  it('gives the new plugin the lowest free port, the workspace release registry and the image naming rule', async () => {
    const plugin = await readYaml('plugins/metrics/project.yaml');
    expect(plugin.spec.service.port).toBe(8082);
    expect(plugin.releaseRegistry).toBe('harbor.example.com');
    expect(plugin.spec.service.image).toBe('harbor.example.com/release/compass-plugins-metrics:v0.1.0');
    expect(plugin.spec.modules[0].slots).toEqual(['sidebar.metrics']);
  });

  it('lays out the app image the sealos way: executable init.sh, COPY-only Kubefile, entrypoint.sh', async () => {
    const latest = workspace.path('releases/apps/web/latest');
    for (const script of ['init.sh', 'entrypoint.sh'])
      expect((await stat(join(latest, script))).mode & 0o111, script).toBe(0o111);
    const kubefile = (await readFile(join(latest, 'Kubefile'), 'utf8')).split('\n').filter(Boolean);
    expect(kubefile[0]).toBe('FROM scratch');
    for (const line of kubefile.slice(1)) expect(line).toMatch(/^(COPY|CMD) /);
    expect(kubefile).toContain('COPY registry registry');

    const usage = await execa('bash', [join(latest, 'init.sh')], { reject: false });
    expect(usage.exitCode).not.toBe(0);
    expect(usage.stderr).toContain('usage: init.sh ARCH NAME VERSION');
    const laidOut = await execa('bash', [join(latest, 'init.sh'), 'amd64', 'web', '1.25.3']);
    expect(laidOut.stdout).toContain('laid out web 1.25.3 for amd64');
    for (const folder of ['charts', 'manifests', 'images/shim'])
      expect(existsSync(join(latest, folder)), folder).toBe(true);
    for (const folder of ['charts', 'manifests', 'images'])
      await workspace.remove(`releases/apps/web/latest/${folder}`);
  });

  it('leaves a workspace where every generated project is a project that validates, with the shipped edges', async () => {
    const shown = await workspace.nx(['show', 'projects', '--json']);
    expect((JSON.parse(shown.stdout) as string[]).sort()).toEqual([
      'base',
      'first',
      'metrics',
      'product',
      'second',
      'vm',
      'web',
    ]);
    const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(0);
    expect(tasksRun(run.all)).toHaveLength(7);
    const cli = await execa(process.execPath, ['tools/cli/bin/dockyard.cjs', 'validate'], {
      cwd: workspace.root,
      reject: false,
    });
    expect(cli.exitCode, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('7 projects checked, 0 problems');
    expect((await workspace.nx(['graph', '--file=graph.json'])).exitCode).toBe(0);
    const { graph } = JSON.parse(await readFile(workspace.path('graph.json'), 'utf8'));
    expect(graph.dependencies.product.map((d: { target: string }) => d.target).sort()).toEqual([
      'first',
      'metrics',
      'web',
    ]);
  });

  it('refuses to overwrite an existing project, naming its path, and changes nothing', async () => {
    for (const { generator, name, args, file } of GENERATED) {
      const before = await readFile(workspace.path(file), 'utf8');
      const run = await generate(generator, name, ...args);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toContain(`${file} already exists; generators never overwrite a project`);
      expect(await readFile(workspace.path(file), 'utf8')).toBe(before);
    }
  });

  it('refuses a name another project has, and files already in the target folder', async () => {
    const twin = await generate('plugin', 'metrics', '--directory=plugins/metrics-again');
    expect(twin.exitCode).not.toBe(0);
    expect(twin.all).toContain('a project named "metrics" already exists (plugins/metrics/project.yaml)');
    expect(existsSync(workspace.path('plugins/metrics-again'))).toBe(false);

    await workspace.write('releases/apps/half/latest/init.sh', '#!/bin/sh\necho mine\n');
    const half = await generate('app-image', 'half', '--versions=1.0.0', '--repository=docker.io/labring/half');
    expect(half.exitCode).not.toBe(0);
    expect(half.all).toContain('releases/apps/half/latest/init.sh already exists; generators never overwrite files');
    expect(existsSync(workspace.path('releases/apps/half/project.yaml'))).toBe(false);
    expect(await readFile(workspace.path('releases/apps/half/latest/init.sh'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('refuses a port or slot another plugin uses, and counts the ports of broken plugins as taken', async () => {
    const port = await generate('plugin', 'logs', '--port=8081');
    expect(port.exitCode).not.toBe(0);
    expect(port.all).toContain('--port 8081 is already used by plugin "second" (plugins/second/project.yaml)');
    const slot = await generate('plugin', 'logs', '--slots=sidebar.first');
    expect(slot.exitCode).not.toBe(0);
    expect(slot.all).toContain('slot "sidebar.first" is already used by plugin "first" (plugins/first/project.yaml)');
    expect(existsSync(workspace.path('plugins/logs'))).toBe(false);

    await workspace.write(
      'plugins/broken/project.yaml',
      pluginYaml({ name: 'broken', port: 8083, slot: 'sidebar.broken' }).replace(/^ {4}image: .*\n/m, ''),
    );
    const next = await generate('plugin', 'logs', '--releaseRegistry=127.0.0.1:5000');
    expect(next.exitCode, next.all).toBe(0);
    const logs = await readYaml('plugins/logs/project.yaml');
    expect(logs.spec.service.port).toBe(8084);
    expect(logs.spec.service.image).toBe('127.0.0.1:5000/release/compass-plugins-logs:v0.1.0');
  });

  it('refuses references to missing projects or projects of another kind', async () => {
    const missing = await generate('release', 'other', '--plugins=nope');
    expect(missing.all).toContain(
      '--plugins: no project named "nope"; existing Plugin projects: broken, first, logs, metrics, second',
    );
    const wrongKind = await generate('release', 'other', '--plugins=web');
    expect(wrongKind.all).toContain('--plugins: "web" (releases/apps/web/project.yaml) has kind AppImage, not Plugin');
    expect(existsSync(workspace.path('releases/other'))).toBe(false);
  });

  it('refuses to write a project that would not validate, with the file:line:col of the problem', async () => {
    const run = await generate('container-image', 'odd', '--versions=24.03.1', '--registry=docker.io');
    expect(run.exitCode).not.toBe(0);
    expect(run.all).toContain('the generated releases/containers/odd/project.yaml would not validate');
    expect(run.all).toContain('releases/containers/odd/project.yaml:5:12: versions[0]:');
    expect(existsSync(workspace.path('releases/containers/odd'))).toBe(false);
  });
});
