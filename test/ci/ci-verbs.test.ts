import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLockFile } from '@dockyard/sources';
import { dockyard } from '../support/cli';
import { startFakeGitHub, type FakeGitHub } from '../support/github-fake';
import { NxWorkspace } from '../support/nx-workspace';
import { everyKind, pluginYaml, releaseYaml } from '../support/projects';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const lock = (project: string, images: Record<string, string>) =>
  formatLockFile({
    project,
    components: {},
    images: Object.fromEntries(
      Object.entries(images).map(([name, d]) => [name, { source: `registry.example.com/${name}`, digest: d }]),
    ),
  });

/**
 * The `dockyard ci` steps on a real Nx workspace in a real git repository: a base commit and a head commit
 * that edits a shipped plugin, moves the Release's pinned images and adds a Release.
 */
describe('dockyard ci on a workspace with base and head commits', () => {
  let workspace: NxWorkspace;
  let base: string;
  let head: string;
  let github: FakeGitHub;
  const ci = (args: string[], env: Record<string, string> = {}) =>
    dockyard(['ci', ...args], { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', ...env }, workspace.root);

  beforeAll(async () => {
    github = await startFakeGitHub({ token: 'ghs_test_token', repositories: ['acme/platform'] });
    workspace = await NxWorkspace.create('ci-verbs', {
      ...everyKind(),
      'plugins/logs/project.yaml': pluginYaml({ name: 'logs', port: 8082, slot: 'sidebar.logs' }),
      'releases/product/project.lock.yaml': lock('product', {
        'release/a:1': digest('a'),
        'release/b:1': digest('b'),
      }),
    });
    base = await workspace.git('rev-parse', 'HEAD');
    await workspace.write(
      'plugins/alerts/project.yaml',
      pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts', description: 'alert rules' }),
    );
    await workspace.write(
      'releases/product/project.lock.yaml',
      lock('product', { 'release/b:1': digest('c'), 'release/c:1': digest('d') }),
    );
    await workspace.write('releases/edge/project.yaml', releaseYaml('edge'));
    await workspace.write('releases/edge/project.lock.yaml', lock('edge', { 'release/e:1': digest('e') }));
    head = await workspace.commit('alerts: describe it; product: move images; add edge');
  });
  afterAll(async () => {
    await workspace?.dispose();
    await github?.stop();
  });

  it('plan lists the affected projects per target, as Nx computes them between base and head', async () => {
    const planned = await ci([
      'plan',
      '--base',
      base,
      '--head',
      head,
      '--target',
      'validate,bundle',
      '--out',
      'plan.json',
    ]);
    expect(planned.exitCode, planned.stderr).toBe(0);
    const plan = JSON.parse(await readFile(workspace.path('plan.json'), 'utf8'));
    // logs, web, base and vm are untouched; product ships the edited alerts and its lock moved.
    expect(plan).toEqual({
      base,
      head,
      targets: { validate: ['alerts', 'edge', 'product'], bundle: ['alerts', 'edge', 'product'] },
      projects: ['alerts', 'edge', 'product'],
    });
    const viaEnv = await ci(['plan', '--target', 'validate'], { NX_BASE: base, NX_HEAD: head });
    expect(JSON.parse(viaEnv.stdout).projects).toEqual(['alerts', 'edge', 'product']);
    const noBase = await ci(['plan', '--target', 'validate']);
    expect(noBase.exitCode).toBe(2);
    expect(noBase.stderr).toContain('--base is required (or $NX_BASE');
  });

  it('shard covers every affected project once, balanced by the run times Nx recorded', async () => {
    const run = await workspace.nx(['run-many', '-t', 'validate', '--output-style=static'], {
      NX_PROFILE: 'profile.json',
    });
    expect(run.exitCode, run.all).toBe(0);
    const recorded = await ci(['times', '--profile', 'profile.json', '--times', 'ci/times.json']);
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    const times = JSON.parse(await readFile(workspace.path('ci/times.json'), 'utf8'));
    expect(Object.keys(times.projects).sort()).toEqual(['alerts', 'base', 'edge', 'logs', 'product', 'vm', 'web']);

    // Known times for two projects; edge gets their median.
    await writeFile(
      workspace.path('ci/times.json'),
      JSON.stringify({ version: 1, projects: { product: 300, alerts: 100 } }),
    );
    const sharded = await ci(['shard', '--plan', 'plan.json', '--shards', '2', '--times', 'ci/times.json']);
    expect(sharded.exitCode, sharded.stderr).toBe(0);
    expect(JSON.parse(sharded.stdout)).toEqual({
      include: [
        { shard: 1, projects: 'product', seconds: 300 },
        { shard: 2, projects: 'alerts,edge', seconds: 300 },
      ],
    });
    const again = await ci(['shard', '--plan', 'plan.json', '--shards', '2', '--times', 'ci/times.json']);
    expect(again.stdout).toBe(sharded.stdout);
  });

  it('summary says per affected Release what its images did, from the locks or from both inventories', async () => {
    const fromLocks = await ci(['summary', '--plan', 'plan.json'], { GITHUB_STEP_SUMMARY: 'summary.md' });
    expect(fromLocks.exitCode, fromLocks.stderr).toBe(0);
    const markdown = await readFile(workspace.path('summary.md'), 'utf8');
    expect(markdown).toContain('### edge (new)\n\n1 added, 0 removed, 0 moved (from project.lock.yaml)');
    expect(markdown).toContain('### product\n\n1 added, 1 removed, 1 moved (from project.lock.yaml)');
    expect(markdown).toContain('| moved | `release/b:1` | `sha256:bbbbbbbbbbbb` | `sha256:cccccccccccc` |');
    expect(markdown).not.toContain('### alerts');

    // The base run kept its inventories; head has bundled: the install site's names are compared instead.
    const inventory = (images: Record<string, string>) =>
      JSON.stringify({ schemaVersion: 1, images: Object.entries(images).map(([name, d]) => ({ name, digest: d })) });
    await workspace.write('dist/product/bundle/inventory.json', inventory({ 'release/a:1': digest('a') }));
    const kept = await ci(['keep-inventories', '--out', 'kept']);
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(kept.stderr).toContain('1 inventory(ies) kept in kept: product');
    await workspace.write('dist/product/bundle/inventory.json', inventory({ 'release/a:1': digest('f') }));
    const fromInventories = await ci(['summary', '--plan', 'plan.json', '--base-inventories', 'kept']);
    expect(fromInventories.stdout).toContain(
      '### product\n\n0 added, 0 removed, 1 moved (from the bundle inventories)\n\n| | image | before | after |',
    );
    // Head's inventories from the folder the shards kept instead of dist/: the same as base here.
    const fromKept = await ci([
      'summary',
      '--plan',
      'plan.json',
      '--base-inventories',
      'kept',
      '--head-inventories',
      'kept',
    ]);
    expect(fromKept.stdout).toContain('### product\n\n0 added, 0 removed, 0 moved (from the bundle inventories)');
  });

  it('comment accepts /build from a member and the answer reaches the issue; others are refused', async () => {
    const event = (body: string, association: string) => ({
      action: 'created',
      comment: { body, author_association: association, user: { login: 'ada' } },
      issue: { number: 42 },
      repository: { full_name: 'acme/platform' },
    });
    await mkdir(workspace.path('events'), { recursive: true });
    await writeFile(workspace.path('events/member.json'), JSON.stringify(event('/build web 1.25.3', 'MEMBER')));
    const accepted = await ci(['comment', '--event', 'events/member.json', '--out', 'request.json']);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    expect(accepted.stdout).toBe('status=accepted\nproject=web\ntargets=build,publish\nversions=1.25.3');
    expect(JSON.parse(await readFile(workspace.path('request.json'), 'utf8'))).toMatchObject({
      version: '1.25.3',
      folder: 'latest/',
      root: 'releases/apps/web',
    });

    const env = { GITHUB_API_URL: github.api, GITHUB_TOKEN: 'ghs_test_token' };
    await writeFile(
      workspace.path('build.log'),
      '> nx run web:publish\npushed docker.io/labring/web:1.25.3 sha256:0123456789abcdef\n',
    );
    const answered = await ci(['answer', '--request', 'request.json', '--outcome', 'success', '--log', 'build.log'], {
      ...env,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/platform',
      GITHUB_RUN_ID: '99',
    });
    expect(answered.exitCode, answered.stderr).toBe(0);
    expect(github.comments.at(-1)).toEqual({
      repository: 'acme/platform',
      issue: 42,
      body: expect.stringContaining(
        '✅ built web 1.25.3 from `releases/apps/web/latest/` ([run](https://github.com/acme/platform/actions/runs/99))',
      ),
    });
    expect(github.comments.at(-1)!.body).toContain('pushed docker.io/labring/web:1.25.3 sha256:0123456789abcdef');

    await writeFile(workspace.path('events/outsider.json'), JSON.stringify(event('/build web', 'CONTRIBUTOR')));
    const refused = await ci(['comment', '--event', 'events/outsider.json', '--out', 'refused.json']);
    expect(refused.stdout).toBe('status=refused');
    expect((await ci(['answer', '--request', 'refused.json'], env)).exitCode).toBe(0);
    expect(github.comments.at(-1)!.body).toContain('@ada ✋ not building: @ada is not a member of acme/platform');

    const badToken = await ci(['answer', '--request', 'refused.json'], { ...env, GITHUB_TOKEN: 'ghs_wrong' });
    expect(badToken.exitCode).toBe(1);
    expect(badToken.stderr).toContain('answered 401: Bad credentials');
    expect(badToken.stderr).not.toContain('ghs_wrong');
    expect(github.comments).toHaveLength(2);
  });

  it('comment passes a ContainerImage version on to every target, and refuses one for a Release', async () => {
    const event = (body: string) => ({
      action: 'created',
      comment: { body, author_association: 'OWNER', user: { login: 'ada' } },
      issue: { number: 43 },
      repository: { full_name: 'acme/platform' },
    });
    await mkdir(workspace.path('events'), { recursive: true });
    await writeFile(workspace.path('events/container.json'), JSON.stringify(event('/build base 24.03-LTS')));
    const container = await ci(['comment', '--event', 'events/container.json']);
    expect(container.exitCode, container.stderr).toBe(0);
    expect(container.stdout).toBe('status=accepted\nproject=base\ntargets=build,check,publish\nversions=24.03-LTS');

    await writeFile(workspace.path('events/release.json'), JSON.stringify(event('/build product v1.0.0')));
    const release = await ci(['comment', '--event', 'events/release.json', '--out', 'release.json']);
    expect(release.stdout).toBe('status=refused');
    expect(release.stderr).toContain(
      "refused: product is a Release: it has one version, v1.0.0 (releases/product/project.yaml's version), and takes none; write `/build product`",
    );
  });
});
