import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { commitAndTag, git, makeRepo } from '../support/git-repos';
import { startHelmRepo, type HelmRepoServer } from '../support/helm-repo-server';

/**
 * resolve → collect → images through the CLI, on real git repositories (tags, pre-releases,
 * an annotated tag, a moved tag) and a Helm repository served over loopback HTTP.
 */
describe('Release: resolve, collect, images', () => {
  let ws: string;
  let helm: HelmRepoServer;
  let charts: { work: string; bare: string };
  let nginxArchive: Buffer;
  const project = () => join(ws, 'releases/demo');

  beforeAll(async () => {
    ws = await tempDir('release-flow');
    await writeFile(join(ws, 'nx.json'), '{}\n');
    const repos = join(ws, 'repos');
    await mkdir(repos);
    charts = await makeRepo(repos, 'charts');
    await commitAndTag(charts.work, { 'release/app.yaml': 'image: old\n' }, 'v1.0.0');
    await commitAndTag(
      charts.work,
      {
        'release/app.yaml': 'image: [[ registry_release ]]/app-admin:[[ imageTagFromGitTag ]]\n',
        'release/db.yaml':
          'kind: Pod\nspec:\n  containers:\n    - image: "[[ registry_release ]]/db:[[ TagOfRepo(tools) ]]"\n',
        'release/crds/crd.yaml': 'kind: CustomResourceDefinition\n',
        'docs/big.bin': 'x'.repeat(100_000),
      },
      'v1.2.0',
      'annotated release',
    );
    await commitAndTag(
      charts.work,
      { 'release/app.yaml': 'image: [[ registry_release ]]/app-admin:[[ imageTagFromGitTag ]]\n# alpha\n' },
      'v1.3.0-alpha.6',
    );
    const tools = await makeRepo(repos, 'tools');
    await commitAndTag(tools.work, {}, 'v0.1.0');
    await commitAndTag(tools.work, {}, 'v0.2.0');
    await commitAndTag(tools.work, {}, 'v0.3.0-rc.1');
    await commitAndTag(tools.work, {}, 'latest');

    helm = await startHelmRepo(join(ws, 'helm-src'), [
      { name: 'nginx', version: '15.1.0', image: 'bitnami/nginx' },
      { name: 'nginx', version: '15.2.1', image: 'bitnami/nginx' },
      { name: 'nginx', version: '16.0.0', image: 'bitnami/nginx' },
    ]);
    nginxArchive = await readFile(join(ws, 'helm-src/nginx-15.2.1.tgz'));

    await mkdir(join(project(), 'addons/manifests'), { recursive: true });
    await writeFile(
      join(project(), 'addons/manifests/job.yaml'),
      'kind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - image: "[[ registry_release ]]/job:v1"\n',
    );
    await writeFile(
      join(project(), 'project.yaml'),
      `kind: Release
name: demo
version: v2.7.0
components:
  - name: charts
    git: { url: ../../repos/charts.git }
    tag: { policy: newest }
    paths: [release/app.yaml, release/db.yaml, release/crds]
    targetPath: platform
  - name: tools
    git: { url: ../../repos/tools.git }
    tag: { policy: semver, range: "^0.2.0" }
  - name: addons
    local: ./addons
    targetPath: addons
  - name: nginx
    helm: { repo: "${helm.url}", chart: nginx, version: "15.x" }
    targetPath: charts
placeholders:
  registry_release: harbor.example.com/release
images:
  stripRegistry: true
  extra: ["release/tools:v1"]
`,
    );
  });
  afterAll(async () => {
    await helm?.stop();
    if (ws) await removeTempDir(ws);
  });

  it('resolve writes a reviewed lock: newest tag counting pre-releases, ranges, chart digests', async () => {
    const run = await dockyard(['resolve', 'releases/demo'], {}, ws);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('+ charts: v1.3.0-alpha.6');
    expect(run.stdout).toContain('+ tools: v0.2.0');
    const lock = parse(await readFile(join(project(), 'project.lock.yaml'), 'utf8'));
    expect(lock.components.charts).toEqual({
      git: '../../repos/charts.git',
      tag: 'v1.3.0-alpha.6',
      commit: await git(charts.work, 'rev-parse', 'v1.3.0-alpha.6^{commit}'),
    });
    expect(lock.components.nginx).toEqual({
      helm: helm.url,
      chart: 'nginx',
      version: '15.2.1',
      url: `${helm.url}/nginx-15.2.1.tgz`,
      digest: `sha256:${createHash('sha256').update(nginxArchive).digest('hex')}`,
    });
    expect(Object.keys(lock.components)).toEqual(['charts', 'nginx', 'tools']);
  });

  it('resolve keeps a reviewed lock; --update moves it to a newer tag, --check --update spots one', async () => {
    expect((await dockyard(['resolve', 'releases/demo', '--check'], {}, ws)).exitCode).toBe(0);
    await commitAndTag(
      charts.work,
      { 'release/app.yaml': 'image: [[ registry_release ]]/app-admin:[[ imageTagFromGitTag ]]\n' },
      'v1.3.0',
    );
    expect((await dockyard(['resolve', 'releases/demo', '--check'], {}, ws)).exitCode).toBe(0);
    expect((await dockyard(['resolve', 'releases/demo'], {}, ws)).stdout).toContain('is up to date');
    const check = await dockyard(['resolve', 'releases/demo', '--check', '--update'], {}, ws);
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('~ charts: v1.3.0-alpha.6');
    expect(check.stderr).toContain('is stale; run `dockyard resolve releases/demo --update`');
    const run = await dockyard(['resolve', 'releases/demo', '--update'], {}, ws);
    expect(run.stdout).toMatch(/~ charts: v1\.3\.0-alpha\.6 \([0-9a-f]{12}\) -> v1\.3\.0/);
    expect((await dockyard(['resolve', 'releases/demo', '--update'], {}, ws)).stdout).toContain('is up to date');
  });

  it('collect fetches exactly the locked files and substitutes placeholders', async () => {
    const run = await dockyard(['collect', 'releases/demo'], {}, ws);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const out = join(ws, 'dist/demo/collect');
    expect(await readFile(join(out, 'platform/app.yaml'), 'utf8')).toBe(
      'image: harbor.example.com/release/app-admin:v1.3.0\n',
    );
    expect(await readFile(join(out, 'platform/db.yaml'), 'utf8')).toContain(
      'image: "harbor.example.com/release/db:v0.2.0"',
    );
    expect(await readFile(join(out, 'platform/crds/crd.yaml'), 'utf8')).toBe('kind: CustomResourceDefinition\n');
    expect(await readFile(join(out, 'addons/manifests/job.yaml'), 'utf8')).toContain(
      'harbor.example.com/release/job:v1',
    );
    expect(await readFile(join(out, 'charts/nginx-15.2.1.tgz'))).toEqual(nginxArchive);
  });

  it('images lists what the collected content runs, with sources', async () => {
    const run = await dockyard(['images', '--project', 'releases/demo'], {}, ws);
    expect(run.exitCode).toBe(0);
    const list = await readFile(join(ws, 'dist/demo/images/images.list'), 'utf8');
    expect(list).toBe(
      [
        'bitnami/nginx:15.2.1',
        'release/app-admin:v1.3.0',
        'release/db:v0.2.0',
        'release/job:v1',
        'release/tools:v1',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(await readFile(join(ws, 'dist/demo/images/images.json'), 'utf8'));
    expect(json.find((i: { ref: string }) => i.ref === 'harbor.example.com/release/db:v0.2.0').sources).toEqual([
      { file: 'platform/db.yaml', keyPath: 'spec.containers[0].image', line: 4 },
    ]);
  });

  it('collect refuses a tag moved since resolve and leaves the output as it was', async () => {
    const locked = await git(charts.work, 'rev-parse', 'v1.3.0');
    const moveTag = async (to: string) => {
      await git(charts.work, 'tag', '-f', 'v1.3.0', to);
      await git(charts.work, 'push', '--quiet', '--force', 'origin', 'refs/tags/v1.3.0');
    };
    await moveTag('v1.0.0');
    const run = await dockyard(['collect', 'releases/demo'], {}, ws);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /releases\/demo\/project\.yaml:\d+:\d+: components\[0\]: tag v1\.3\.0 of .*charts\.git now points at [0-9a-f]{12}, but the lock file recorded [0-9a-f]{12} \(the tag was moved\) \(run `dockyard resolve`/,
    );
    expect(await readFile(join(ws, 'dist/demo/collect/platform/app.yaml'), 'utf8')).toContain('v1.3.0');
    await moveTag(locked);
  });

  it('collect refuses a chart whose bytes no longer match the locked digest', async () => {
    helm.replaceArchive('nginx-15.2.1.tgz', Buffer.from('tampered'));
    const run = await dockyard(['collect', 'releases/demo'], {}, ws);
    helm.replaceArchive('nginx-15.2.1.tgz', nginxArchive);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /components\[3\]: .*nginx-15\.2\.1\.tgz has digest sha256:[0-9a-f]{64}, but the lock file expects sha256:/,
    );
  });

  it('collect names both sources when two files land on one path', async () => {
    const text = await readFile(join(project(), 'project.yaml'), 'utf8');
    await mkdir(join(project(), 'more'), { recursive: true });
    await writeFile(join(project(), 'more/app.yaml'), 'a: 1\nimage: [[ registry_mirror ]]/x:1\n');
    await writeFile(
      join(project(), 'project.yaml'),
      text.replace('  - name: addons', '  - name: more\n    local: ./more\n    targetPath: platform\n  - name: addons'),
    );
    const run = await dockyard(['collect', 'releases/demo'], {}, ws);
    await writeFile(join(project(), 'project.yaml'), text);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'platform/app.yaml: two files land on collect/platform/app.yaml: charts@v1.3.0:release/app.yaml and more:more/app.yaml (give one of the components a different targetPath',
    );
    expect(run.stderr).not.toContain('registry_mirror');
    expect(run.stderr).toContain('left unchanged');
  });

  it('an unknown placeholder is an error naming file:line and the fix', async () => {
    await writeFile(join(project(), 'addons/manifests/extra.yaml'), 'a: 1\nimage: [[ registry_mirror ]]/x:1\n');
    const run = await dockyard(['collect', 'releases/demo'], {}, ws);
    await writeFile(join(project(), 'addons/manifests/extra.yaml'), 'a: 1\n');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'addons/manifests/extra.yaml:2: [[ registry_mirror ]] (from addons:addons/manifests/extra.yaml): unknown placeholder (define registry_mirror under placeholders: in project.yaml',
    );
  });
});
