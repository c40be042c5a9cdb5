import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { listGitTags, resolveComponents, withGitPaths } from '@dockyard/sources';
import { removeTempDir, tempDir } from '../support/tmp';
import { commitAndTag, git, makeRepo } from '../support/git-repos';

describe('git sources', () => {
  let root: string;
  let repo: { work: string; bare: string };

  beforeAll(async () => {
    root = await tempDir('git-sources');
    repo = await makeRepo(root, 'charts');
    await commitAndTag(
      repo.work,
      { 'release/app.yaml': 'a: 1\n', 'release/db.yaml': 'b: 1\n', 'docs/manual.txt': 'm'.repeat(50_000) },
      'v1.0.0',
    );
    await commitAndTag(repo.work, { 'release/app.yaml': 'a: 2\n' }, 'v1.1.0-beta.1', 'annotated pre-release');
  });
  afterAll(async () => {
    if (root) await removeTempDir(root);
  });

  it('lists tags with annotated tags peeled to their commit', async () => {
    const tags = await listGitTags({ url: repo.bare });
    expect(tags.get('v1.0.0')).toBe(await git(repo.work, 'rev-parse', 'v1.0.0'));
    expect(tags.get('v1.1.0-beta.1')).toBe(await git(repo.work, 'rev-parse', 'v1.1.0-beta.1^{commit}'));
    expect(tags.size).toBe(2);
  });

  it('fetches one tag shallowly with only the blobs of the requested paths', async () => {
    const commit = await git(repo.work, 'rev-parse', 'v1.0.0');
    const seen = await withGitPaths(
      { access: { url: `file://${repo.bare}` }, tag: 'v1.0.0', commit, paths: ['release/app.yaml'] },
      async (dir) => ({
        files: await readdir(join(dir, 'release')),
        topLevel: (await readdir(dir)).filter((n) => n !== '.git'),
        shallow: (await execa('git', ['rev-parse', '--is-shallow-repository'], { cwd: dir })).stdout,
        missing: (await execa('git', ['rev-list', '--objects', '--missing=print', 'HEAD'], { cwd: dir })).stdout
          .split('\n')
          .filter((l) => l.startsWith('?')).length,
      }),
    );
    expect(seen).toEqual({ files: ['app.yaml'], topLevel: ['release'], shallow: 'true', missing: 2 });
  });

  it('sends a token as an http.extraHeader, never in the URL, argv or error', async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(req.headers.authorization ? 403 : 401, { 'www-authenticate': 'Basic realm="git"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/org/private.git`;
    process.env.DOCKYARD_TEST_GIT_TOKEN = 's3cr3t-token';
    const { issues } = await resolveComponents({
      project: 'p',
      dir: root,
      components: [{ name: 'private', git: { url, tokenEnv: 'DOCKYARD_TEST_GIT_TOKEN' } }],
    });
    delete process.env.DOCKYARD_TEST_GIT_TOKEN;
    expect(seen[0]).toEqual({
      url: '/org/private.git/info/refs?service=git-upload-pack',
      authorization: `Basic ${Buffer.from('x-access-token:s3cr3t-token').toString('base64')}`,
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toEqual(['components', 0]);
    expect(issues[0].message).toContain(`listing tags of ${url} failed`);
    expect(JSON.stringify(issues)).not.toContain('s3cr3t-token');
  });

  it('names the variable to set when a token env var is missing', async () => {
    const { issues } = await resolveComponents({
      project: 'p',
      dir: root,
      components: [{ name: 'x', git: { url: 'https://git.invalid/x.git', tokenEnv: 'DOCKYARD_UNSET_TOKEN' } }],
    });
    expect(issues).toEqual([
      {
        component: 'x',
        field: ['components', 0, 'git', 'tokenEnv'],
        message: 'environment variable DOCKYARD_UNSET_TOKEN is not set (token for https://git.invalid/x.git)',
        hint: 'export DOCKYARD_UNSET_TOKEN, or remove git.tokenEnv for a public repository',
      },
    ]);
  });
});
