import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveComponents } from '@dockyard/sources';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { pushImage } from '../support/push-image';

describe('image components: tag lists from a real registry', () => {
  const auth = { username: 'release', password: 'pw-for-tests' };
  let registry: RunningRegistry;
  let dir: string;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir('registry-tags');
    registry = await startRegistry({ auth });
    for (const tag of ['v0.2.9', 'v0.3.0', 'v0.3.17', 'v0.4.0-rc.1', 'v1.0.0', 'latest']) {
      digests[tag] = await pushImage(registry.url, 'release/app-admin', tag, auth);
    }
    process.env.DOCKYARD_TEST_REG_USER = auth.username;
    process.env.DOCKYARD_TEST_REG_PASS = auth.password;
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) await removeTempDir(dir);
  });

  const component = (image: Record<string, unknown>) => ({
    name: 'app-admin',
    image: {
      repository: `${registry.host}/release/app-admin`,
      credentials: { usernameEnv: 'DOCKYARD_TEST_REG_USER', passwordEnv: 'DOCKYARD_TEST_REG_PASS' },
      ...image,
    },
  });

  it('picks the newest tag in a semver range and pins its digest', async () => {
    const { lock, issues } = await resolveComponents({
      project: 'p',
      dir,
      components: [component({ version: '>=0.3.0 <1', pinDigest: true })],
    });
    expect(issues).toEqual([]);
    expect(lock.components['app-admin']).toEqual({
      image: `${registry.host}/release/app-admin`,
      tag: 'v0.3.17',
      digest: digests['v0.3.17'],
    });
  });

  it('without a range takes the newest semver tag, ignoring latest', async () => {
    const { lock } = await resolveComponents({ project: 'p', dir, components: [component({})] });
    expect(lock.components['app-admin']).toEqual({ image: `${registry.host}/release/app-admin`, tag: 'v1.0.0' });
  });

  it('reports refused credentials with the field to fix', async () => {
    process.env.DOCKYARD_TEST_REG_PASS = 'wrong';
    const { issues } = await resolveComponents({ project: 'p', dir, components: [component({ version: '^0.3' })] });
    process.env.DOCKYARD_TEST_REG_PASS = auth.password;
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toEqual(['components', 0]);
    expect(issues[0].message).toMatch(
      /127\.0\.0\.1:\d+\/v2\/release\/app-admin\/tags\/list: list tags of release\/app-admin failed with HTTP 401/,
    );
    expect(issues[0].hint).toContain('image.credentials');
  });

  it('logs in with a docker config credential helper (credHelpers)', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-dockyard-test');
    await writeFile(
      helper,
      `#!/bin/sh\ncat >/dev/null\necho '{"Username":"${auth.username}","Secret":"${auth.password}"}'\n`,
    );
    await chmod(helper, 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'dockyard-test' } }));
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    try {
      const image = {
        repository: `${registry.host}/release/app-admin`,
        version: '~0.2',
        credentials: { dockerConfig: 'config.json' },
      };
      const { lock, issues } = await resolveComponents({
        project: 'p',
        dir,
        components: [{ name: 'app-admin', image }],
      });
      expect(issues).toEqual([]);
      expect(lock.components['app-admin']).toEqual({ image: `${registry.host}/release/app-admin`, tag: 'v0.2.9' });
    } finally {
      process.env.PATH = path;
    }
  });
});
