import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksRun } from '../support/nx-output';
import { cloudImageYaml, everyKind } from '../support/projects';

/** Three broken files, one mistake each, next to the valid projects of every kind. */
const broken = {
  'releases/apps/syntax/project.yaml': [
    'kind: AppImage',
    'name: syntax-broken',
    'description: note: colons need quotes',
    'versions: ["1.0.0"]',
    'repository: docker.io/labring/syntax',
    '',
  ].join('\n'),
  'releases/cloud/typo/project.yaml': cloudImageYaml('typo-key').replace('arches:', 'arcehs:'),
  'releases/wrong-type/project.yaml': [
    'kind: Release',
    'name: wrong-type',
    'version: v1.0.0',
    'ships:',
    '  plugins: alerts',
    '',
  ].join('\n'),
};

/** What `validate` must print for each: exact position, the field, and what to do. */
const expected = {
  'syntax-broken':
    'releases/apps/syntax/project.yaml:3:14: YAML syntax error: Nested mappings are not allowed in compact mappings',
  'typo-key': 'releases/cloud/typo/project.yaml:4:1: arcehs: unknown key "arcehs" (did you mean "arches"?)',
  'wrong-type': 'releases/wrong-type/project.yaml:5:12: ships.plugins: must be array, got string',
};

describe('broken project.yaml files in an Nx workspace', () => {
  let workspace: NxWorkspace;
  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-broken', { ...everyKind(), ...broken });
  });
  afterAll(() => workspace?.dispose());

  it('still show up as projects, under the name they declare, without hiding the valid ones', async () => {
    const shown = await workspace.nx(['show', 'projects', '--json']);
    expect(shown.exitCode, shown.all).toBe(0);
    expect((JSON.parse(shown.stdout) as string[]).sort()).toEqual(
      ['alerts', 'base', 'product', 'syntax-broken', 'typo-key', 'vm', 'web', 'wrong-type'].sort(),
    );
    const project = JSON.parse((await workspace.nx(['show', 'project', 'typo-key', '--json'])).stdout);
    expect(Object.keys(project.targets)).toEqual(['validate']);
  });

  it('fail their own validate with file:line:col, the field and a hint', async () => {
    for (const [name, line] of Object.entries(expected)) {
      const run = await workspace.nx(['run', `${name}:validate`, '--output-style=static']);
      expect(run.exitCode, run.all).not.toBe(0);
      expect(run.all).toContain(line);
    }
  });

  it('leave the other projects validating', async () => {
    const run = await workspace.nx([
      'run-many',
      '-t',
      'validate',
      '--projects=product,alerts,web,base,vm',
      '--output-style=static',
    ]);
    expect(run.exitCode, run.all).toBe(0);
    expect(tasksRun(run.all)).toEqual(['alerts', 'base', 'product', 'vm', 'web'].map((n) => `${n}:validate`));
  });

  it('make run-many exit non-zero and list every problem', async () => {
    const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static']);
    expect(run.exitCode, run.all).not.toBe(0);
    for (const line of Object.values(expected)) expect(run.all).toContain(line);
    expect(tasksRun(run.all)).toHaveLength(8);
  });
});
