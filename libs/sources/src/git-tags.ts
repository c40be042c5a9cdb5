import { runGit, type GitAccess } from './git';
import { redactUrl } from './redact-url';

/** Tags of a repository and the commit each points at (annotated tags peeled), via `git ls-remote`. */
export async function listGitTags(access: GitAccess): Promise<Map<string, string>> {
  const output = await runGit(['ls-remote', '--tags', '--', access.url], {
    access,
    what: `listing tags of ${redactUrl(access.url)}`,
  });
  const tags = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]{40,64})\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line.trim());
    if (!match) continue;
    (match[3] ? peeled : tags).set(match[2], match[1]);
  }
  for (const [tag, commit] of peeled) tags.set(tag, commit);
  return tags;
}
