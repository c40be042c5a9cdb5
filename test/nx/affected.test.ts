import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksRun } from '../support/nx-output';
import { appImageYaml, everyKind, pluginYaml } from '../support/projects';

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

  /** Commits `files` on top of HEAD; returns the commit before it, the base to compare against. */
  async function change(message: string, files: Record<string, string>): Promise<string> {
    const base = await workspace.git('rev-parse', 'HEAD');
    for (const [file, text] of Object.entries(files)) await workspace.write(file, text);
    await workspace.commit(message);
    return base;
  }

  async function validateAffected(base: string) {
    const run = await workspace.nx([
      'affected',
      '-t',
      'validate',
      `--base=${base}`,
      '--head=HEAD',
      '--output-style=static',
    ]);
    return { ...run, tasks: tasksRun(run.all) };
  }

  async function affectedSince(base: string): Promise<{ projects: string[]; tasks: string[] }> {
    const shown = await workspace.nx(['show', 'projects', '--affected', `--base=${base}`, '--head=HEAD', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    const run = await validateAffected(base);
    expect(run.exitCode, run.all).toBe(0);
    return { projects: (JSON.parse(shown.stdout) as string[]).sort(), tasks: run.tasks };
  }

  it('a file of a shipped Plugin: the Release is an affected project, but only the Plugin validates', async () => {
    const base = await change('document alerts', { 'plugins/alerts/README.md': '# Alerts\n' });
    expect(await affectedSince(base)).toEqual({ projects: ['alerts', 'product'], tasks: ['alerts:validate'] });
  });

  it('a file of a shipped AppImage: the same, for the app', async () => {
    const base = await change('web: lay out charts too', {
      'releases/apps/web/latest/init.sh': '#!/usr/bin/env bash\nmkdir -p manifests charts\n',
    });
    expect(await affectedSince(base)).toEqual({ projects: ['product', 'web'], tasks: ['web:validate'] });
  });

  it("a plugin's description: that plugin and the Release that ships it, nothing else", async () => {
    const alerts = pluginYaml({
      name: 'alerts',
      port: 8081,
      slot: 'sidebar.alerts',
      description: 'alert rules and routes',
    });
    const base = await change('alerts: say what it does', { 'plugins/alerts/project.yaml': alerts });
    expect(await affectedSince(base)).toEqual({
      projects: ['alerts', 'product'],
      tasks: ['alerts:validate', 'product:validate'],
    });
  });

  it('a plugin project.yaml no Release ships: that plugin alone, though other plugins hold ports and slots', async () => {
    const base = await change('logs: move port', {
      'plugins/logs/project.yaml': pluginYaml({ name: 'logs', port: 8083, slot: 'sidebar.logs', version: 'v0.2.0' }),
    });
    expect(await affectedSince(base)).toEqual({ projects: ['logs'], tasks: ['logs:validate'] });
  });

  it("a port moved onto another plugin's: both plugins validate and both fail, naming each other", async () => {
    const logs = (port: number) => ({
      'plugins/logs/project.yaml': pluginYaml({ name: 'logs', port, slot: 'sidebar.logs', version: 'v0.2.0' }),
    });
    const clash = await validateAffected(await change('logs: take the port of alerts', logs(8081)));
    expect(clash.exitCode, clash.all).not.toBe(0);
    expect(clash.tasks).toEqual(['alerts:validate', 'logs:validate']);
    expect(clash.all).toContain(
      'plugins/alerts/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "logs"',
    );
    expect(clash.all).toContain(
      'plugins/logs/project.yaml:8:11: spec.service.port: port 8081 is also used by plugin "alerts"',
    );

    const back = await change('logs: back to its own port', logs(8083));
    const alerts = await workspace.nx(['run', 'alerts:validate', '--output-style=static']);
    expect(alerts.exitCode, alerts.all).toBe(0);
    expect(await affectedSince(back)).toEqual({ projects: ['logs'], tasks: ['logs:validate'] });
  });

  it('a project renamed away from a name a Release ships: the Release validates and fails', async () => {
    const run = await validateAffected(
      await change('web is now site', { 'releases/apps/web/project.yaml': appImageYaml('site') }),
    );
    expect(run.exitCode, run.all).not.toBe(0);
    expect(run.tasks).toEqual(['product:validate', 'site:validate']);
    expect(run.all).toContain('releases/product/project.yaml:6:15: ships.appImages[0]: no project named "web"');
    await change('site is web again', { 'releases/apps/web/project.yaml': appImageYaml('web') });
  });

  it('a new project taking a name in use: both holders validate and fail', async () => {
    const run = await validateAffected(
      await change('a plugin named like the cloud image', {
        'plugins/vm/project.yaml': pluginYaml({ name: 'vm', port: 8090, slot: 'sidebar.vm' }),
      }),
    );
    expect(run.exitCode, run.all).not.toBe(0);
    // Nx needs unique names, so the later claimant in path order is shown under a name with its folder.
    expect(run.tasks).toEqual(['vm:validate', 'vm@releases/cloud/vm:validate']);
    expect(run.all).toContain(
      'releases/cloud/vm/project.yaml:2:7: name: project name "vm" is also used by plugins/vm/project.yaml',
    );
    expect(run.all).toContain(
      'plugins/vm/project.yaml:2:7: name: project name "vm" is also used by releases/cloud/vm/project.yaml',
    );
  });
});
