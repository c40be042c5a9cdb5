import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit, type GitAccess } from './git';
import { redactUrl } from './redact-url';
import { SourceError } from './source-error';

export interface GitPathsRequest {
  access: GitAccess;
  tag: string;
  /** The commit the lock recorded; a tag that moved since is refused. */
  commit: string;
  paths: string[];
}

/**
 * Fetches only `paths` of one tag: a depth-1 fetch of the tag without blobs, then a sparse
 * checkout that downloads just the blobs those paths need. Calls `use` with the checkout folder,
 * then removes it.
 */
export async function withGitPaths<T>(request: GitPathsRequest, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dockyard-git-'));
  const { access, tag } = request;
  const shownUrl = redactUrl(access.url);
  const git = (args: string[], what: string) => runGit(args, { cwd: dir, access, what });
  try {
    await git(['init', '--quiet'], 'git init');
    await git(['remote', 'add', 'origin', access.url], 'git remote add');
    await git(
      ['sparse-checkout', 'set', '--no-cone', '--', ...request.paths.map(sparsePattern)],
      'git sparse-checkout',
    );
    await git(
      [
        'fetch',
        '--quiet',
        '--depth=1',
        '--filter=blob:none',
        '--no-tags',
        'origin',
        `+refs/tags/${tag}:refs/tags/${tag}`,
      ],
      `fetching tag ${tag} of ${shownUrl}`,
    );
    const commit = (await git(['rev-parse', `refs/tags/${tag}^{commit}`], 'git rev-parse')).trim();
    if (commit !== request.commit) {
      throw new SourceError(
        `tag ${tag} of ${shownUrl} now points at ${commit.slice(0, 12)}, but the lock file recorded ${request.commit.slice(0, 12)} (the tag was moved)`,
        'run `dockyard resolve` and review the change in the lock file',
      );
    }
    await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', commit], `checking out ${tag}`);
    for (const path of request.paths) {
      const exists = await stat(join(dir, path)).then(
        () => true,
        () => false,
      );
      if (!exists)
        throw new SourceError(
          `${path} does not exist in ${shownUrl} at tag ${tag}`,
          'fix the entry in paths, or pick a tag that has it',
        );
    }
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A path as a non-cone sparse pattern: anchored at the root, matching a file or a whole folder. */
function sparsePattern(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}
