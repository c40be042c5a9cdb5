import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../../test/support/github-fake';
import { COMMENT_LIMIT, fitComment, postIssueComment } from './github';

describe('postIssueComment', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub({ token: 'ghs_secret', repositories: ['acme/platform'] });
  });
  afterAll(() => github.stop());

  it('posts the body to the issue comments endpoint with the bearer token', async () => {
    const posted = await postIssueComment({ api: github.api, token: 'ghs_secret' }, 'acme/platform', 7, 'hello');
    expect(posted.url).toBe('https://github.com/acme/platform/issues/7#issuecomment-1');
    expect(github.comments).toEqual([{ repository: 'acme/platform', issue: 7, body: 'hello' }]);
  });

  it('reports a refused token without printing it, and an unknown repository', async () => {
    const refused = postIssueComment({ api: github.api, token: 'wrong-token' }, 'acme/platform', 7, 'x');
    await expect(refused).rejects.toMatchObject({ code: 'GITHUB_AUTH' });
    await expect(refused).rejects.toThrow('answered 401: Bad credentials');
    await refused.catch((err: Error) => expect(err.message).not.toContain('wrong-token'));
    await expect(postIssueComment({ api: github.api, token: 'ghs_secret' }, 'acme/other', 1, 'x')).rejects.toThrow(
      'answered 404',
    );
  });

  it('cuts a body GitHub would refuse as too long', async () => {
    const long = 'x'.repeat(COMMENT_LIMIT + 10);
    expect(fitComment(long).length).toBe(COMMENT_LIMIT);
    await postIssueComment({ api: github.api, token: 'ghs_secret' }, 'acme/platform', 8, long);
    expect(github.comments.at(-1)!.body).toMatch(/cut: the full log is in the workflow run\)$/);
  });
});
