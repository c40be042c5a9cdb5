import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksFromCache, tasksRun } from '../support/nx-output';
import { EVERY_KIND_PROJECTS, everyKind } from '../support/projects';

const names = Object.keys(EVERY_KIND_PROJECTS).sort();

describe('the Nx plugin on a workspace with one project of every kind', () => {
  let workspace: NxWorkspace;
  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-graph', everyKind());
  });
  afterAll(() => workspace?.dispose());

  it('lists one project per project.yaml, named by its name:', async () => {
    const shown = await workspace.nx(['show', 'projects', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    expect((JSON.parse(shown.stdout) as string[]).sort()).toEqual(names);
  });

  it('infers a described, cached validate target and a kind tag on every project', async () => {
    for (const [name, kind] of Object.entries(EVERY_KIND_PROJECTS)) {
      const shown = await workspace.nx(['show', 'project', name, '--json']);
      expect(shown.exitCode, shown.all).toBe(0);
      const project = JSON.parse(shown.stdout);
      expect(project.tags).toContain(`kind:${kind}`);
      const validate = project.targets.validate;
      expect(validate.metadata.description).toMatch(new RegExp(`project\\.yaml against the ${kind} schema`));
      expect(validate.cache).toBe(true);
      expect(validate.executor).toBe('./tools/nx-plugin:validate');
      expect(validate.options.file).toBe(`${project.root}/project.yaml`);
    }
  });

  it('draws edges from a Release to the Plugin and AppImage it ships', async () => {
    const graphed = await workspace.nx(['graph', '--file=graph.json']);
    expect(graphed.exitCode, graphed.all).toBe(0);
    const { graph } = JSON.parse(await readFile(workspace.path('graph.json'), 'utf8'));
    const edges = (graph.dependencies.product as { target: string; type: string }[])
      .map((d) => `${d.target}/${d.type}`)
      .sort();
    expect(edges).toEqual(['alerts/static', 'web/static']);
    expect(graph.dependencies.alerts).toEqual([]);
  });

  it('validates every project in one batch, and a second run restores every task from the cache', async () => {
    const first = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
    expect(first.exitCode, first.all).toBe(0);
    // One worker validates the workspace once for all tasks, instead of once per task.
    expect(first.all).toContain(`Running ${names.length} tasks with ./tools/nx-plugin:validate`);
    expect(tasksRun(first.all)).toEqual(names.map((n) => `${n}:validate`));
    expect(tasksFromCache(first.all)).toEqual([]);

    const second = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
    expect(second.exitCode, second.all).toBe(0);
    expect(tasksFromCache(second.all)).toEqual(names.map((n) => `${n}:validate`));
    expect(second.all).toContain(
      `Nx read the output from the cache instead of running the command for ${names.length} out of ${names.length} tasks.`,
    );
  });
});
