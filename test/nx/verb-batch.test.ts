import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockyard } from '../support/cli';
import { commitAndTag, makeRepo } from '../support/git-repos';
import { NxWorkspace } from '../support/nx-workspace';
import { taskOutput, tasksRun } from '../support/nx-output';
import { appImageLayout, appImageYaml } from '../support/projects';
import { removeTempDir, tempDir } from '../support/tmp';

// resolve, collect and images run through the plugin's verb executor: every such task of a run in one worker
// process, each printing what `dockyard VERB PROJECT` prints, each failing on its own.

const VERB = './tools/nx-plugin:verb';
const GOOD = ['alpha', 'beta', 'gamma'];

const release = (name: string, charts: string, tag = '') => `kind: Release
name: ${name}
version: v1.0.0
components:
  - name: charts
    git: { url: "${charts}" }${tag}
    paths: [release/app.yaml]
    targetPath: platform
  - name: addons
    local: addons
    targetPath: addons
placeholders:
  registry_release: harbor.example.com/release
`;

const addons = (name: string) => `kind: Pod\nspec:\n  containers:\n    - image: "[[ registry_release ]]/${name}:v2"\n`;

/** The files resolve and images write for a project: its lock and its image list. */
async function written(ws: NxWorkspace, name: string): Promise<string[]> {
  return Promise.all([
    readFile(ws.path(`releases/${name}/project.lock.yaml`), 'utf8'),
    readFile(ws.path(`dist/${name}/images/images.list`), 'utf8'),
    readFile(ws.path(`dist/${name}/images/images.json`), 'utf8'),
  ]);
}

describe('resolve, collect and images as Nx batch tasks', () => {
  let ws: NxWorkspace;
  let repos: string;

  beforeAll(async () => {
    repos = await tempDir('verb-batch-repos');
    const charts = await makeRepo(repos, 'charts');
    await commitAndTag(
      charts.work,
      { 'release/app.yaml': 'image: "[[ registry_release ]]/app:[[ imageTagFromGitTag ]]"\n' },
      'v1.0.0',
    );
    const files: Record<string, string> = {
      // Pinned to a tag the repository does not have: its resolve fails, and only its own tasks with it.
      'releases/broken/project.yaml': release('broken', charts.bare, '\n    tag: { policy: pinned, value: v9.9.9 }'),
      'releases/broken/addons/pod.yaml': addons('broken'),
    };
    for (const name of GOOD) {
      files[`releases/${name}/project.yaml`] = release(name, charts.bare);
      files[`releases/${name}/addons/pod.yaml`] = addons(name);
    }
    ws = await NxWorkspace.create('verb-batch', files);
  });
  afterAll(async () => {
    await ws?.dispose();
    if (repos) await removeTempDir(repos);
  });

  it('runs every resolve, then every collect and images, in one worker each; a failing project fails only its tasks', async () => {
    const run = await ws.nx(['run-many', '-t', 'images', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(1);
    // resolve is never cached, so Nx hashes collect (whose inputs include the lock) after it: two waves.
    expect(run.all).toContain(`Running 4 tasks with ${VERB}`);
    expect(run.all).toContain(`Running 6 tasks with ${VERB}`);
    expect(tasksRun(run.all)).toEqual([
      'alpha:collect',
      'alpha:images',
      'alpha:resolve',
      'beta:collect',
      'beta:images',
      'beta:resolve',
      'broken:resolve',
      'gamma:collect',
      'gamma:images',
      'gamma:resolve',
    ]);
    for (const name of GOOD) {
      expect(taskOutput(run.all, `${name}:resolve`)).toContain('+ charts: v1.0.0');
      expect(taskOutput(run.all, `${name}:images`)).toContain(
        `2 images written to dist/${name}/images/images.list and images.json`,
      );
    }
    expect(run.all).toMatch(/Tasks not run because[^]*- broken:collect/);

    // The failed task printed what the CLI prints for it, file and line included.
    const cli = await dockyard(['resolve', 'releases/broken'], {}, ws.root);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toMatch(/releases\/broken\/project\.yaml:\d+/);
    const failed = taskOutput(run.all, 'broken:resolve');
    for (const line of cli.stderr.trim().split('\n')) expect(failed).toContain(line);
  });

  it('runs a whole chain in one process when nothing is cached, writing the same files as the CLI project by project', async () => {
    const forget = async () => {
      for (const name of GOOD) {
        await rm(ws.path(`releases/${name}/project.lock.yaml`));
        await rm(ws.path(`dist/${name}`), { recursive: true });
      }
    };
    await forget();
    // Each collect reads the lock its resolve wrote moments before in the same process.
    const run = await ws.nx(['run-many', '-t', 'images', '--skip-nx-cache', '--output-style=static']);
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain(`Running 12 tasks with ${VERB}`);
    // Behind the failed resolve, the batch skips its project's collect and images, as Nx does outside a batch.
    expect(run.all).toMatch(/Tasks not run because[^]*- broken:collect/);
    expect(run.all).toMatch(/Tasks not run because[^]*- broken:images/);
    for (const name of GOOD) expect(taskOutput(run.all, `${name}:collect`)).toContain('collected 2 files');
    const batched = await Promise.all(GOOD.map((name) => written(ws, name)));
    await forget();
    for (const name of GOOD) {
      for (const verb of ['resolve', 'collect', 'images']) {
        const step = await dockyard([verb, `releases/${name}`], {}, ws.root);
        expect(step.exitCode, step.stderr).toBe(0);
      }
    }
    expect(await Promise.all(GOOD.map((name) => written(ws, name)))).toEqual(batched);
  });

  it('passes -c check to every task of the batch, and nx affected batches only the affected projects', async () => {
    await rm(ws.path('releases/broken'), { recursive: true });
    await ws.commit('lock the releases');
    await rm(ws.path('releases/gamma/project.lock.yaml'));
    const check = await ws.nx(['run-many', '-t', 'resolve', '-c', 'check', '--output-style=static']);
    expect(check.exitCode, check.all).toBe(1);
    expect(check.all).toContain(`Running 3 tasks with ${VERB}`);
    expect(taskOutput(check.all, 'alpha:resolve')).toContain('releases/alpha/project.lock.yaml is up to date');
    expect(taskOutput(check.all, 'gamma:resolve')).toContain(
      'releases/gamma/project.lock.yaml is missing; run `dockyard resolve releases/gamma` and commit it',
    );
    await expect(readFile(ws.path('releases/gamma/project.lock.yaml'))).rejects.toThrow(/ENOENT/);
    await ws.git('checkout', '--', 'releases/gamma/project.lock.yaml');
    // Without batches, each task runs the executor's one-task implementation, printing the same.
    const alone = await ws.nx(['run', 'gamma:resolve', '-c', 'check', '--batch=false', '--output-style=static']);
    expect(alone.exitCode, alone.all).toBe(0);
    expect(alone.all).not.toContain(`tasks with ${VERB}`);
    expect(alone.all).toContain('releases/gamma/project.lock.yaml is up to date');

    for (const name of ['alpha', 'beta']) {
      const file = `releases/${name}/project.yaml`;
      await ws.write(file, (await readFile(ws.path(file), 'utf8')).replace('version: v1.0.0', 'version: v1.0.1'));
    }
    const affected = await ws.nx(['affected', '-t', 'resolve', '-c', 'check', '--base=HEAD', '--output-style=static']);
    expect(affected.exitCode, affected.all).toBe(0);
    expect(affected.all).toContain(`Running 2 tasks with ${VERB}`);
    expect(tasksRun(affected.all)).toEqual(['alpha:resolve:check', 'beta:resolve:check']);
  });

  it("batches AppImages' images tasks (build --list-images) too, writing what the CLI writes", async () => {
    const apps = ['web', 'api'];
    const files: Record<string, string> = {};
    for (const app of apps) {
      Object.assign(files, { [`apps/${app}/project.yaml`]: appImageYaml(app) }, appImageLayout(`apps/${app}`));
      files[`apps/${app}/latest/init.sh`] =
        `#!/usr/bin/env bash\nmkdir -p manifests\nprintf 'kind: Pod\\nspec:\\n  containers:\\n    - image: docker.io/library/${app}:1.0\\n' > manifests/pod.yaml\n`;
    }
    const appWs = await NxWorkspace.create('verb-batch-apps', files);
    try {
      const run = await appWs.nx(['run-many', '-t', 'images', '--output-style=static']);
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).toContain(`Running 2 tasks with ${VERB}`);
      const list = (app: string) => readFile(appWs.path(`dist/${app}/images/1.25.3/amd64/images.list`), 'utf8');
      const batched = await Promise.all(apps.map(list));
      for (const [i, app] of apps.entries()) {
        expect(taskOutput(run.all, `${app}:images`)).toContain(
          `${app} 1.25.3 amd64: 1 image(s) in dist/${app}/images/1.25.3/amd64/images.list`,
        );
        expect(batched[i]).toContain(`docker.io/library/${app}:1.0`);
      }
      await rm(appWs.path('dist'), { recursive: true });
      for (const app of apps) {
        const cli = await dockyard(['build', `apps/${app}`, '--list-images'], {}, appWs.root);
        expect(cli.exitCode, cli.stderr).toBe(0);
      }
      expect(await Promise.all(apps.map(list))).toEqual(batched);
    } finally {
      await appWs.dispose();
    }
  });
});
