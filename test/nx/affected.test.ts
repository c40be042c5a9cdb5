import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../helpers/nx-workspace';
import { tasksRun } from './support/nx-output';
import { appImageYaml, everyKind, pluginYaml } from './support/projects';

/**
 * What `nx affected` selects in a real git repository. Nx 24 selects tasks, not projects: a task is affected
 * when a changed file is among its inputs. `show projects --affected` lists the projects of those tasks
 * plus their dependents (the Release that ships a changed Plugin). A `validate` reads its own files and the
 * project.yaml files its rules look at: the projects it ships, and those holding a name, port or slot it holds.
 */
describe('nx affected on Dockyard projects', () => {
  let workspace: NxWorkspace;
  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-affected', {
      ...everyKind(),
      'plugins/logs/project.yaml': pluginYaml({ name: 'logs', port: 8082, slot: 'sidebar.logs' }),
    });
  });
  afterAll(() => workspace?.dispose());

  async function affectedSince(base: string): Promise<{ projects: string[]; tasks: string[] }> {
    const shown = await workspace.nx(['show', 'projects', '--affected', `--base=${base}`, '--head=HEAD', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    const run = await workspace.nx(['affected', '-t', 'validate', `--base=${base}`, '--head=HEAD', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(0);
    return { projects: (JSON.parse(shown.stdout) as string[]).sort(), tasks: tasksRun(run.all) };
  }

  it('a file of a shipped Plugin: the Release is an affected project, but only the Plugin validates', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/alerts/README.md', '# Alerts\n');
    await workspace.commit('document alerts');
    expect(await affectedSince(base)).toEqual({ projects: ['alerts', 'product'], tasks: ['alerts:validate'] });
  });

  it('a file of a shipped AppImage: the same, for the app', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('releases/apps/web/latest/init.sh', '#!/usr/bin/env bash\nmkdir -p manifests charts\n');
    await workspace.commit('web: lay out charts too');
    expect(await affectedSince(base)).toEqual({ projects: ['product', 'web'], tasks: ['web:validate'] });
  });

  it("a plugin's description: that plugin and the Release that ships it, nothing else", async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/alerts/project.yaml', pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts', description: 'alert rules and routes' }));
    await workspace.commit('alerts: say what it does');
    expect(await affectedSince(base)).toEqual({ projects: ['alerts', 'product'], tasks: ['alerts:validate', 'product:validate'] });
  });

  it('a plugin project.yaml no Release ships: that plugin alone, though other plugins hold ports and slots', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/logs/project.yaml', pluginYaml({ name: 'logs', port: 8083, slot: 'sidebar.logs', version: 'v0.2.0' }));
    await workspace.commit('logs: move port');
    expect(await affectedSince(base)).toEqual({ projects: ['logs'], tasks: ['logs:validate'] });
  });

  it("a port moved onto another plugin's: both plugins validate and both fail, naming each other", async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/logs/project.yaml', pluginYaml({ name: 'logs', port: 8081, slot: 'sidebar.logs', version: 'v0.2.0' }));
    await workspace.commit('logs: take the port of alerts');
    const run = await workspace.nx(['affected', '-t', 'validate', `--base=${base}`, '--head=HEAD', '--output-style=static']);
    expect(run.exitCode, run.all).not.toBe(0);
    expect(tasksRun(run.all)).toEqual(['alerts:validate', 'logs:validate']);
    expect(run.all).toContain('plugins/alerts/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "logs"');
    expect(run.all).toContain('plugins/logs/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "alerts"');

    const back = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/logs/project.yaml', pluginYaml({ name: 'logs', port: 8083, slot: 'sidebar.logs', version: 'v0.2.0' }));
    await workspace.commit('logs: back to its own port');
    const alerts = await workspace.nx(['run', 'alerts:validate', '--output-style=static']);
    expect(alerts.exitCode, alerts.all).toBe(0);
    expect(await affectedSince(back)).toEqual({ projects: ['logs'], tasks: ['logs:validate'] });
  });

  it('a project renamed away from a name a Release ships: the Release validates and fails', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('releases/apps/web/project.yaml', appImageYaml('site'));
    await workspace.commit('web is now site');
    const run = await workspace.nx(['affected', '-t', 'validate', `--base=${base}`, '--head=HEAD', '--output-style=static']);
    expect(run.exitCode, run.all).not.toBe(0);
    expect(tasksRun(run.all)).toEqual(['product:validate', 'site:validate']);
    expect(run.all).toContain('releases/product/project.yaml:6:15: ships.appImages[0]: no project named "web"');
  });

  it('a new project taking a name in use: both holders validate and fail', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/vm/project.yaml', pluginYaml({ name: 'vm', port: 8090, slot: 'sidebar.vm' }));
    await workspace.commit('a plugin named like the cloud image');
    const run = await workspace.nx(['affected', '-t', 'validate', `--base=${base}`, '--head=HEAD', '--output-style=static']);
    expect(run.exitCode, run.all).not.toBe(0);
    // Nx needs unique names, so the later claimant in path order is shown under a name with its folder.
    expect(tasksRun(run.all)).toEqual(['vm:validate', 'vm@releases/cloud/vm:validate']);
    expect(run.all).toContain('releases/cloud/vm/project.yaml:2:7: name: project name "vm" is also used by plugins/vm/project.yaml');
    expect(run.all).toContain('plugins/vm/project.yaml:2:7: name: project name "vm" is also used by releases/cloud/vm/project.yaml');
  });
});
