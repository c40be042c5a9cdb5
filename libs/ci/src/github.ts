import { appendFile } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

export interface GitHubAccess {
  /** `GITHUB_API_URL` in Actions: https://api.github.com, or an Enterprise server's /api/v3. */
  api: string;
  /** A token allowed to write issues (the workflow's GITHUB_TOKEN with `issues: write`). */
  token: string;
}

/** Posts `body` as a comment on an issue or pull request (`POST /repos/{owner}/{repo}/issues/{number}/comments`). */
export async function postIssueComment(
  access: GitHubAccess,
  repository: string,
  issue: number,
  body: string,
): Promise<{ url: string }> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new DockyardError(`"${repository}" is not a repository as owner/name`, { code: 'GITHUB_REPOSITORY' });
  const endpoint = `${access.api.replace(/\/+$/, '')}/repos/${repository}/issues/${issue}/comments`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${access.token}`,
        'Content-Type': 'application/json',
        'User-Agent': 'dockyard-ci',
        'X-GitHub-Api-Version': '2022-11-28',
      },
      body: JSON.stringify({ body: fitComment(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new DockyardError(`cannot reach ${endpoint}`, { code: 'GITHUB_UNREACHABLE', cause: err });
  }
  const text = await response.text();
  if (response.status !== 201) {
    // GitHub's errors are JSON with a message; the token is never part of what is reported.
    const message = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        return text;
      }
    })();
    throw new DockyardError(
      `${endpoint} answered ${response.status}: ${message.slice(0, 300)}`,
      response.status === 401 || response.status === 403
        ? { code: 'GITHUB_AUTH', hint: 'the token needs permission to write issues (issues: write)' }
        : { code: 'GITHUB_API' },
    );
  }
  return { url: (JSON.parse(text) as { html_url?: string }).html_url ?? endpoint };
}

/** A body GitHub accepts: cut at the limit, saying so. */
export function fitComment(body: string): string {
  if (body.length <= COMMENT_LIMIT) return body;
  const note = '\n\n… (cut: the full log is in the workflow run)';
  return body.slice(0, COMMENT_LIMIT - note.length) + note;
}

/** Appends Markdown to the job summary file (`GITHUB_STEP_SUMMARY`), which GitHub shows on the run's page. */
export async function appendJobSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
