import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../helpers/nx-workspace';
import { tasksRun } from './support/nx-output';
import { everyKind, pluginYaml } from './support/projects';

/**
 * What `nx affected` selects in a real git repository. Nx 24 selects tasks, not projects: a task is affected
 * when a changed file is among its inputs. `show projects --affected` lists the projects of those tasks
 * plus their dependents (the Release that ships a changed Plugin), but the Release's validate task runs
 * only when its own inputs changed. Every validate reads every project.yaml (workspace-wide rules), so a
 * project.yaml change selects every validate task, and so every project.
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

  it('a plugin project.yaml: every validate task, since the plugin rules span the workspace', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write('plugins/logs/project.yaml', pluginYaml({ name: 'logs', port: 8083, slot: 'sidebar.logs', version: 'v0.2.0' }));
    await workspace.commit('logs: move port');
    const all = ['alerts', 'base', 'logs', 'product', 'vm', 'web'];
    expect(await affectedSince(base)).toEqual({ projects: all, tasks: all.map((n) => `${n}:validate`) });
  });
});
