import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDir, tempDir } from '../support/tmp';
import { NxWorkspace } from '../support/nx-workspace';
import { commitAndTag, makeRepo } from '../support/git-repos';

const release = (name: string, components: string) => `kind: Release
name: ${name}
version: v1.0.0
components:
${components}
placeholders:
  registry_release: harbor.example.com/release
images:
  stripRegistry: true
`;

/** Ran tasks vs cache hits, from Nx's per-task lines (`[local cache]` marks a hit); a batch of one prints its header twice. */
function ranAndCached(output: string): { ran: string[]; cached: string[] } {
  const tasks = [...output.matchAll(/^\s*> nx run ([\w-]+:[\w-]+)( +\[local cache\])?/gm)];
  const named = (cached: boolean) => [...new Set(tasks.filter((t) => !t[2] === !cached).map((t) => t[1]!))].sort();
  return { ran: named(false), cached: named(true) };
}

describe('Nx targets resolve, collect, images', () => {
  let ws: NxWorkspace;
  let repos: string;
  let charts: { work: string; bare: string };

  beforeAll(async () => {
    repos = await tempDir('nx-repos');
    charts = await makeRepo(repos, 'charts');
    await commitAndTag(
      charts.work,
      { 'release/app.yaml': 'image: "[[ registry_release ]]/app:[[ imageTagFromGitTag ]]"\n' },
      'v1.0.0',
    );
    ws = await NxWorkspace.create('nx-sources', {
      'releases/alpha/project.yaml': release(
        'alpha',
        `  - name: charts
    git: { url: "${charts.bare}" }
    paths: [release/app.yaml]
    targetPath: platform
  - name: addons
    local: addons
    targetPath: addons`,
      ),
      'releases/alpha/addons/job.yaml':
        'kind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - image: busybox:1.36\n',
      'releases/beta/project.yaml': release(
        'beta',
        `  - name: site
    local: site
    targetPath: site`,
      ),
      'releases/beta/site/pod.yaml': 'kind: Pod\nspec:\n  containers:\n    - image: "[[ registry_release ]]/beta:v2"\n',
    });
  });
  afterAll(async () => {
    await ws?.dispose();
    if (repos) await removeTempDir(repos);
  });

  it('run-many resolves, collects and lists images; a second run is all cache hits', async () => {
    const first = await ws.nx(['run-many', '-t', 'resolve,collect,images', '--outputStyle=stream']);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.all).toContain('+ charts: v1.0.0');
    expect(await readFile(ws.path('dist/alpha/images/images.list'), 'utf8')).toBe(
      'library/busybox:1.36\nrelease/app:v1.0.0\n',
    );
    expect(await readFile(ws.path('dist/beta/images/images.list'), 'utf8')).toBe('release/beta:v2\n');
    await ws.commit('lock alpha');

    // resolve is never cached, but with the lock in line with project.yaml it changes nothing.
    const second = await ws.nx(['run-many', '-t', 'collect,images', '--outputStyle=stream']);
    expect(second.exitCode, second.all).toBe(0);
    expect(ranAndCached(second.all)).toEqual({
      ran: ['alpha:resolve'],
      cached: ['alpha:collect', 'alpha:images', 'beta:collect', 'beta:images'],
    });
  });

  it('a newer tag leaves the reviewed lock alone until -c update, which re-runs only that project', async () => {
    await commitAndTag(
      charts.work,
      { 'release/app.yaml': 'image: "[[ registry_release ]]/app:[[ imageTagFromGitTag ]]"\n' },
      'v1.1.0',
    );
    const unchanged = await ws.nx(['run-many', '-t', 'collect,images', '--outputStyle=stream']);
    expect(ranAndCached(unchanged.all).cached).toEqual([
      'alpha:collect',
      'alpha:images',
      'beta:collect',
      'beta:images',
    ]);

    const updated = await ws.nx(['run', 'alpha:resolve', '-c', 'update', '--outputStyle=stream']);
    expect(updated.exitCode, updated.all).toBe(0);
    expect(updated.all).toContain('~ charts: v1.0.0');

    const rerun = await ws.nx(['run-many', '-t', 'collect,images', '--outputStyle=stream']);
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(ranAndCached(rerun.all)).toEqual({
      ran: ['alpha:collect', 'alpha:images', 'alpha:resolve'],
      cached: ['beta:collect', 'beta:images'],
    });
    expect(await readFile(join(ws.root, 'dist/alpha/images/images.list'), 'utf8')).toContain('release/app:v1.1.0');

    const affected = await ws.nx(['show', 'projects', '--affected', '--base=HEAD', '--json']);
    expect(JSON.parse(affected.stdout)).toEqual(['alpha']);
  });

  it('resolve -c check fails in CI when the lock no longer answers project.yaml', async () => {
    await ws.commit('lock alpha v1.1.0');
    expect((await ws.nx(['run', 'alpha:resolve', '-c', 'check', '--outputStyle=stream'])).exitCode).toBe(0);
    const yaml = await readFile(ws.path('releases/alpha/project.yaml'), 'utf8');
    await ws.write(
      'releases/alpha/project.yaml',
      yaml.replace(
        `git: { url: "${charts.bare}" }`,
        `git: { url: "${charts.bare}" }\n    tag: { policy: pinned, value: v1.0.0 }`,
      ),
    );
    const check = await ws.nx(['run', 'alpha:resolve', '-c', 'check', '--outputStyle=stream']);
    expect(check.exitCode).not.toBe(0);
    expect(check.all).toContain(
      'components[0].git: the project.lock.yaml entry for charts (tag v1.1.0) no longer satisfies the pinned tag v1.0.0 in project.yaml',
    );
    expect(check.all).toContain('project.lock.yaml is stale');
  });
});
