import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NxWorkspace } from '../support/nx-workspace';
import { pluginYaml, releaseYaml } from '../support/projects';

/**
 * Ignore files Nx honours the git way: a gitignored folder, a nested .gitignore, a nested negation
 * re-including a folder the root excludes, and .nxignore. The ignored copies reuse names and ports.
 */
const FILES = {
  '.gitignore': 'node_modules\n.nx\ndist\ntmp\ngenerated/\nbuild/\n',
  '.nxignore': 'plugins/**/scratch\n',
  'plugins/.gitignore': '!build/\n/local/\n',
  'plugins/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts' }),
  'plugins/build/rebuilt/project.yaml': pluginYaml({ name: 'rebuilt', port: 8080, slot: 'sidebar.rebuilt' }),
  'generated/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8083, slot: 'sidebar.copy' }),
  'plugins/local/alerts-copy/project.yaml': pluginYaml({ name: 'alerts', port: 8084, slot: 'sidebar.copy2' }),
  'plugins/x/scratch/project.yaml': pluginYaml({ name: 'alerts', port: 8085, slot: 'sidebar.copy3' }),
  'build/product/project.yaml': releaseYaml('product'),
  'releases/product/project.yaml': releaseYaml('product', { plugins: ['alerts', 'broken'] }),
  'plugins/broken/project.yaml': pluginYaml({ name: 'broken', port: 8086, slot: 'sidebar.broken' }).replace(
    /^ {4}image: .*$/m,
    '    image: wrong/image:v0.1.0',
  ),
};

describe('the projects of a workspace, as Nx, dockyard validate and the generators see them', () => {
  let workspace: NxWorkspace;
  const dockyard = (...args: string[]) =>
    execa(process.execPath, ['tools/cli/bin/dockyard.cjs', ...args], { cwd: workspace.root, reject: false });
  const generate = (generator: string, ...args: string[]) =>
    workspace.nx(['g', `./tools/nx-plugin:${generator}`, ...args, '--no-interactive']);

  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-ignored', FILES);
  });
  afterAll(() => workspace?.dispose());

  it('are the same set: ignored copies are no projects and no duplicate names', async () => {
    const shown = await workspace.nx(['show', 'projects', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    expect((JSON.parse(shown.stdout) as string[]).sort()).toEqual(['alerts', 'broken', 'product', 'rebuilt']);
    const cli = await dockyard('validate');
    expect(cli.stderr).not.toContain('is also used by');
    expect(cli.stderr.split('\n')).toEqual([
      'plugins/broken/project.yaml:9:12: spec.service.image: image "wrong/image:v0.1.0" does not follow the naming rule (use harbor.example.com/release/compass-plugins-broken:v0.1.0)',
      '4 projects checked, 1 problem',
    ]);
  });

  it('do not call a shipped plugin missing because it has a problem of its own', async () => {
    const release = await workspace.nx(['run', 'product:validate', '--output-style=static']);
    expect(release.exitCode, release.all).toBe(0);
    expect(release.all).not.toContain('no project named');
    const plugin = await workspace.nx(['run', 'broken:validate', '--output-style=static']);
    expect(plugin.exitCode).not.toBe(0);
    expect(plugin.all).toContain('plugins/broken/project.yaml:9:12: spec.service.image');
  });

  it('give a new plugin the lowest port no project of the workspace holds, ignoring the ignored copies', async () => {
    const run = await generate('plugin', 'logs', '--pluginVersion=v0.3.0');
    expect(run.exitCode, run.all).toBe(0);
    const logs = parse(await readFile(workspace.path('plugins/logs/project.yaml'), 'utf8'));
    expect(logs.spec.service.port).toBe(8082);
    expect(logs.spec.version).toBe('v0.3.0');
    expect(logs.spec.service.image).toBe('harbor.example.com/release/compass-plugins-logs:v0.3.0');
  });

  it('take the release version as --releaseVersion, leaving --version to Nx', async () => {
    const run = await generate('release', 'bundle', '--releaseVersion=v2.1.0', '--plugins=rebuilt');
    expect(run.exitCode, run.all).toBe(0);
    expect(parse(await readFile(workspace.path('releases/bundle/project.yaml'), 'utf8'))).toMatchObject({
      version: 'v2.1.0',
      ships: { plugins: ['rebuilt'] },
    });
    expect((await dockyard('validate')).stderr).toContain('6 projects checked, 1 problem');
  });

  it('fail every validate task, naming the ref, when DOCKYARD_BASE_REF names no commit', async () => {
    const run = await workspace.nx(['run', 'alerts:validate', '--output-style=static', '--skip-nx-cache'], {
      DOCKYARD_BASE_REF: 'nosuchref',
    });
    expect(run.exitCode, run.all).not.toBe(0);
    expect(run.all).toContain('DOCKYARD_BASE_REF=nosuchref: git knows no commit of that name here');
  });
});
