import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError, parseCredentialsEnvFlag, resolveCredentials } from './credentials';

const bin = join(__dirname, '..', '..', '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');

describe('parseCredentialsEnvFlag', () => {
  it('takes upper-case names of environment variables', () => {
    expect(parseCredentialsEnvFlag('127.0.0.1:5000=DST_USER:DST_PASS')).toEqual([
      '127.0.0.1:5000',
      { usernameEnv: 'DST_USER', passwordEnv: 'DST_PASS' },
    ]);
  });

  it('refuses a user and password in place of the names, naming only the host', () => {
    expect(() => parseCredentialsEnvFlag('reg.example.com=alice:hunter2')).toThrow(
      new CredentialsError(
        'credentials for reg.example.com are not written HOST=USER_VAR:PASSWORD_VAR (upper-case names of environment variables, not the secrets)',
      ),
    );
    expect(() => parseCredentialsEnvFlag('alice:hunter2')).toThrow(
      /^credentials are not written HOST=USER_VAR:PASSWORD_VAR/,
    );
  });

  it('keeps the secret out of the CLI error', () => {
    const result = spawnSync(
      process.execPath,
      [
        bin,
        'copy',
        'docker://127.0.0.1:9/a:v1',
        'docker://127.0.0.1:9/b:v1',
        '--creds-env',
        '127.0.0.1:9=alice:hunter2',
      ],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--creds-env: credentials for 127.0.0.1:9 are not written HOST=USER_VAR:PASSWORD_VAR',
    );
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stderr).not.toContain('alice');
  });
});

describe('resolveCredentials', () => {
  it('says which role lacks its variable without printing the name, which may be the secret itself', async () => {
    const spec = { usernameEnv: 'DOCKYARD_TEST_USER', passwordEnv: 'hunter2' };
    const failure = resolveCredentials(spec, 'reg.example.com', '/', { DOCKYARD_TEST_USER: 'ci' });
    await expect(failure).rejects.toThrow(
      expect.objectContaining({
        message: 'credentials for reg.example.com: the environment variable named for the password is not set',
        hint: 'export it, or fix usernameEnv/passwordEnv',
      }),
    );
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('names a conventional variable so the user knows what to export', async () => {
    const spec = { usernameEnv: 'HARBOR_USER', passwordEnv: 'HARBOR_PASSWORD' };
    await expect(resolveCredentials(spec, 'reg.example.com', '/', { HARBOR_USER: 'ci' })).rejects.toThrow(
      'credentials for reg.example.com: HARBOR_PASSWORD (the password) is not set',
    );
  });
});
