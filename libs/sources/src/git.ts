import { execa } from 'execa';
import { basicAuthorization } from '@dockyard/oci';
import { redactUrl } from './redact-url';
import { SourceError } from './source-error';

export interface GitAccess {
  /** Repository URL or absolute path; never carries credentials. */
  url: string;
  /** Bearer-style token for private HTTP hosts; sent as a header, never in the URL or argv. */
  token?: string;
}

/**
 * Environment for git: no prompts, and a token as an `http.<origin>.extraHeader` passed through
 * GIT_CONFIG_* variables, scoped to the repository's origin so redirects to other hosts do not get it.
 */
function gitEnvironment(access: GitAccess): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
  if (access.token && /^https?:\/\//.test(access.url)) {
    const origin = new URL(access.url).origin;
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = `http.${origin}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = `Authorization: ${basicAuthorization({ username: 'x-access-token', password: access.token })}`;
  }
  return env;
}

/** Runs git; a failure becomes a SourceError quoting git's own message, with the token and URL credentials removed. */
export async function runGit(
  args: string[],
  options: { cwd?: string; access: GitAccess; what: string },
): Promise<string> {
  const result = await execa('git', args, {
    cwd: options.cwd,
    env: { ...gitEnvironment(options.access), LC_ALL: 'C' },
    reject: false,
    stripFinalNewline: true,
  });
  if (result.exitCode !== 0) {
    const message = redactUrl(redact(String(result.stderr || result.stdout).trim(), options.access.token));
    throw new SourceError(`${options.what} failed: ${message.split('\n').slice(-3).join(' ')}`, hintFor(message));
  }
  return String(result.stdout);
}

function hintFor(message: string): string {
  if (/Authentication failed|could not read Username|403|401/.test(message))
    return 'set the token named by git.tokenEnv or git.tokenFile, with read access to the repository';
  if (/does not appear to be a git repository|not found|Could not resolve host|unable to access/.test(message))
    return 'check git.url (a relative path is relative to the project folder)';
  return 'run the same git command by hand to see the full error';
}

function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}
