import { describe, expect, it } from 'vitest';
import { resolveCredentials } from './credentials';

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
