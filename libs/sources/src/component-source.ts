import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Component } from '@dockyard/project-spec';
import type { GitAccess } from './git';
import { redactUrl } from './redact-url';
import { SourceError } from './source-error';

/** A git URL as git should see it: relative paths resolved against the project folder. */
function gitUrl(url: string, projectDir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url) || isAbsolute(url)) return url;
  return resolve(projectDir, url);
}

/** URL plus token for a git component; the token comes from the env var or file it names. */
export async function gitAccess(git: NonNullable<Component['git']>, projectDir: string): Promise<GitAccess> {
  const url = gitUrl(git.url, projectDir);
  if (git.tokenEnv) {
    const token = process.env[git.tokenEnv];
    if (!token)
      throw new SourceError(
        `environment variable ${git.tokenEnv} is not set (token for ${redactUrl(git.url)})`,
        `export ${git.tokenEnv}, or remove git.tokenEnv for a public repository`,
        ['git', 'tokenEnv'],
      );
    return { url, token };
  }
  if (git.tokenFile) {
    const file = resolve(projectDir, git.tokenFile);
    const token = (
      await readFile(file, 'utf8').catch((err: unknown) => {
        throw new SourceError(
          `cannot read token file ${file}`,
          'create it (keep it out of git) or fix git.tokenFile',
          ['git', 'tokenFile'],
          err,
        );
      })
    ).trim();
    return { url, token };
  }
  return { url };
}
