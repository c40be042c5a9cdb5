import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { HOSTILE } from '../support/hostile-projects';
import { tasksRun } from '../support/nx-output';
import { everyKind } from '../support/projects';

const VALID = ['alerts', 'base', 'product', 'vm', 'web'];

describe('hostile project.yaml files next to valid projects', () => {
  let workspace: NxWorkspace;
  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-hostile', {
      ...everyKind(),
      ...Object.fromEntries(Object.values(HOSTILE).map((h) => [h.file, h.text])),
    });
  });
  afterAll(() => workspace?.dispose());

  it('still make a graph: each is a project, under its declared name or its folder', async () => {
    const shown = await workspace.nx(['show', 'projects', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    expect((JSON.parse(shown.stdout) as string[]).sort()).toEqual(
      [...VALID, 'binary', 'deep', 'duplicate', 'empty', 'laughs'].sort(),
    );
  });

  it('each fail dockyard validate with their own file:line:col, and the valid projects pass', async () => {
    const cli = await execa(process.execPath, ['tools/cli/bin/dockyard.cjs', 'validate'], {
      cwd: workspace.root,
      reject: false,
    });
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr.split('\n')).toEqual([
      ...Object.values(HOSTILE)
        .map((h) => h.problem)
        .sort(),
      '10 projects checked, 5 problems',
    ]);
    const valid = await execa(
      process.execPath,
      ['tools/cli/bin/dockyard.cjs', 'validate', 'releases/product', 'plugins', 'releases/apps/web'],
      { cwd: workspace.root, reject: false },
    );
    expect(valid.exitCode, valid.stderr).toBe(0);
    expect(valid.stdout).toBe('3 projects checked, 0 problems');
  });

  it('fail only their own validate task in nx run-many; every other task succeeds', async () => {
    const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
    expect(run.exitCode, run.all).not.toBe(0);
    expect(tasksRun(run.all)).toHaveLength(10);
    for (const { problem } of Object.values(HOSTILE)) expect(run.all).toContain(problem);
    expect(run.all).not.toContain('resource exhaustion');
    const others = await workspace.nx([
      'run-many',
      '-t',
      'validate',
      `--projects=${VALID.join(',')}`,
      '--output-style=static',
      '--skip-nx-cache',
    ]);
    expect(others.exitCode, others.all).toBe(0);
    expect(tasksRun(others.all)).toEqual(VALID.map((n) => `${n}:validate`));
  });
});
