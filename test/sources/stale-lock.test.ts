import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { commitAndTag, makeRepo } from '../support/git-repos';

/**
 * `collect` and `resolve --check` share one rule for a lock that no longer answers project.yaml
 * (issue 7, defect 8), on a real git repository: collect refuses exactly what the check refuses,
 * with the same message, and fetches nothing.
 */
describe('a lock that no longer satisfies project.yaml', () => {
  let ws: string;
  const project = () => join(ws, 'releases/app');
  const projectYaml = (range: string) => `kind: Release
name: app
version: v1.0.0
components:
  - name: charts
    git: { url: ../../repos/charts.git }
    tag: { policy: semver, range: "${range}" }
    paths: [deploy]
    targetPath: platform
`;

  beforeAll(async () => {
    ws = await tempDir('stale-lock');
    await writeFile(join(ws, 'nx.json'), '{}\n');
    const charts = await makeRepo(join(ws, 'repos'), 'charts');
    await commitAndTag(charts.work, { 'deploy/app.yaml': 'image: app:v1.0.5\n' }, 'v1.0.5');
    await commitAndTag(charts.work, { 'deploy/app.yaml': 'image: app:v1.2.0\n' }, 'v1.2.0');
    await mkdir(project(), { recursive: true });
    await writeFile(join(project(), 'project.yaml'), projectYaml('^1.0.0'));
  });
  afterAll(async () => {
    if (ws) await removeTempDir(ws);
  });

  it('collect refuses what resolve --check refuses, with the same message, and leaves the output alone', async () => {
    expect((await dockyard(['resolve', 'releases/app'], {}, ws)).exitCode).toBe(0);
    expect(await readFile(join(project(), 'project.lock.yaml'), 'utf8')).toContain('tag: v1.2.0');
    expect((await dockyard(['collect', 'releases/app'], {}, ws)).exitCode).toBe(0);
    expect(await readFile(join(ws, 'dist/app/collect/platform/deploy/app.yaml'), 'utf8')).toBe('image: app:v1.2.0\n');

    await writeFile(join(project(), 'project.yaml'), projectYaml('1.0.x'));
    const check = await dockyard(['resolve', 'releases/app', '--check'], {}, ws);
    const collect = await dockyard(['collect', 'releases/app'], {}, ws);
    const refusal =
      'releases/app/project.yaml:6:10: components[0].git: the project.lock.yaml entry for charts (tag v1.2.0) no longer satisfies the semver range "1.0.x" in project.yaml (run `dockyard resolve` and commit the lock file)';
    expect(check.exitCode).toBe(1);
    expect(check.stderr.split('\n')).toContain(refusal);
    expect(collect.exitCode).toBe(1);
    expect(collect.stderr.split('\n')).toContain(refusal);
    expect(await readFile(join(ws, 'dist/app/collect/platform/deploy/app.yaml'), 'utf8')).toBe('image: app:v1.2.0\n');
  });

  it('both refuse a lock entry for a component project.yaml no longer lists', async () => {
    await writeFile(join(project(), 'project.yaml'), projectYaml('^1.0.0'));
    const lock = await readFile(join(project(), 'project.lock.yaml'), 'utf8');
    await writeFile(join(project(), 'project.lock.yaml'), `${lock}  gone:\n    image: docker.io/x/gone\n    tag: v1\n`);
    const check = await dockyard(['resolve', 'releases/app', '--check'], {}, ws);
    const collect = await dockyard(['collect', 'releases/app'], {}, ws);
    const refusal = /project\.lock\.yaml locks gone, which project\.yaml no longer lists/;
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(refusal);
    expect(collect.exitCode).toBe(1);
    expect(collect.stderr).toMatch(refusal);
    await writeFile(join(project(), 'project.lock.yaml'), lock);
    expect((await dockyard(['resolve', 'releases/app', '--check'], {}, ws)).exitCode).toBe(0);
    expect((await dockyard(['collect', 'releases/app'], {}, ws)).exitCode).toBe(0);
  });
});
