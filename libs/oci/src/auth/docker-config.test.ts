import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { hasCode } from '@dockyard/errors';
import { describe, expect, it, onTestFinished } from 'vitest';
import { lookupDockerConfig } from './docker-config';

async function dir(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'docker-config-'));
  onTestFinished(() => rm(path, { recursive: true, force: true }));
  return path;
}

describe('lookupDockerConfig', () => {
  it('reads auths under any key docker writes, identity tokens included', async () => {
    const file = join(await dir(), 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: {
          'https://reg.example.com': { auth: Buffer.from('ci:pa:ss').toString('base64') },
          'token.example.com': { identitytoken: 'id-token' },
          'https://index.docker.io/v1/': { username: 'hub', password: 'h' },
          'broken.example.com': { auth: Buffer.from('no-colon').toString('base64') },
        },
      }),
    );
    expect(await lookupDockerConfig(file, 'reg.example.com')).toEqual({ username: 'ci', password: 'pa:ss' });
    expect(await lookupDockerConfig(file, 'token.example.com')).toEqual({ identityToken: 'id-token' });
    expect(await lookupDockerConfig(file, 'docker.io')).toEqual({ username: 'hub', password: 'h' });
    expect(await lookupDockerConfig(file, 'other.example.com')).toBeUndefined();
    await expect(lookupDockerConfig(file, 'broken.example.com')).rejects.toThrow(
      `docker config ${file}: the "auth" entry for broken.example.com is not base64 of user:password`,
    );
  });

  it('asks a credential helper, and names one that is missing', async () => {
    const root = await dir();
    const helper = join(root, 'docker-credential-fake');
    await writeFile(helper, '#!/bin/sh\nread host\necho "{\\"Username\\":\\"robot\\",\\"Secret\\":\\"s-$host\\"}"\n');
    await chmod(helper, 0o755);
    const file = join(root, 'config.json');
    await writeFile(file, JSON.stringify({ credHelpers: { 'reg.example.com': 'fake', 'gone.example.com': 'absent' } }));
    const path = process.env.PATH;
    process.env.PATH = `${root}${delimiter}${path}`;
    onTestFinished(() => void (process.env.PATH = path));
    expect(await lookupDockerConfig(file, 'reg.example.com')).toEqual({
      username: 'robot',
      password: 's-reg.example.com',
    });
    await expect(lookupDockerConfig(file, 'gone.example.com')).rejects.toThrow(
      'credential helper docker-credential-absent failed for gone.example.com: program not found on PATH',
    );
  });

  it('treats only the conventional config as optional, and keeps why a named one is unreadable', async () => {
    const root = await dir();
    const missing = join(root, 'missing.json');
    expect(await lookupDockerConfig(missing, 'reg.example.com', { missingIsEmpty: true })).toBeUndefined();
    const failure = await lookupDockerConfig(missing, 'reg.example.com').catch((e: unknown) => e);
    expect((failure as Error).message).toBe(`cannot read docker config ${missing}: ENOENT`);
    expect(hasCode(failure, 'CREDENTIALS_UNAVAILABLE')).toBe(true);
    expect((failure as Error).cause).toMatchObject({ code: 'ENOENT' });
    const garbled = join(root, 'garbled.json');
    await writeFile(garbled, '{');
    await expect(lookupDockerConfig(garbled, 'reg.example.com')).rejects.toThrow(
      `cannot read docker config ${garbled}: not valid JSON`,
    );
  });
});
