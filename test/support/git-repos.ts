import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const identity = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execa('git', args, { cwd, env: identity });
  return stdout.trim();
}

/** A working repo pushing to a bare one at `<root>/<name>.git` that serves partial fetches like a forge. */
export async function makeRepo(root: string, name: string): Promise<{ work: string; bare: string }> {
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}-work`);
  await mkdir(bare, { recursive: true });
  await git(bare, 'init', '--bare', '--quiet', '--initial-branch=main');
  await git(bare, 'config', 'uploadpack.allowFilter', 'true');
  await git(bare, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  await git(root, 'clone', '--quiet', bare, work);
  await git(work, 'checkout', '--quiet', '-b', 'main');
  return { work, bare };
}

/** Writes files, commits, optionally tags (annotated when a message is given), pushes; returns the commit. */
export async function commitAndTag(
  work: string,
  files: Record<string, string>,
  tag?: string,
  annotation?: string,
): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
  }
  await git(work, 'add', '-A');
  await git(work, 'commit', '--quiet', '--allow-empty', '-m', `commit ${tag ?? ''}`);
  if (tag) await git(work, 'tag', ...(annotation ? ['-a', '-m', annotation] : []), tag);
  await git(work, 'push', '--quiet', '--force', 'origin', 'main', ...(tag ? [`+refs/tags/${tag}`] : []));
  return git(work, 'rev-parse', 'HEAD');
}
