import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { startTokenServer, type RunningTokenServer, type TokenRequest } from '../support/token-server';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { seedImages, type SeededImages } from '../support/seed';
import { fetchBlob, fetchManifest, pushImage, pushIndex, type BuiltImage } from '../support/test-images';

async function allFileText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return parts.join('\n');
}

const scopeSet = (request: TokenRequest): string => [...request.scopes].sort().join(' ');

describe('bearer token auth against a registry with auth: token', () => {
  const password = 'T0ken-Server-Pa55word-never-printed';
  let tokens: RunningTokenServer;
  let secured: RunningRegistry;
  let plain: RunningRegistry;
  /** In front of `secured`: records what the engine sent the registry. */
  let watched: FaultProxy;
  let seeded: SeededImages;
  let work: string;
  let credsFlag: string;
  const env = { TOKEN_USER: 'ci', TOKEN_PASS: password };

  beforeAll(async () => {
    tokens = await startTokenServer({ username: 'ci', password });
    [secured, plain] = await Promise.all([startRegistry({ tokenAuth: tokens }), startRegistry()]);
    watched = await startFaultProxy(secured.url);
    credsFlag = `${watched.host}=TOKEN_USER:TOKEN_PASS`;
    const seedToken = tokens.signToken(['repository:app/multi:pull,push', 'repository:app/single:pull,push']);
    seeded = await seedImages(secured.url, `Bearer ${seedToken}`);
    await pushIndex({ base: plain.url }, 'app/multi', 'v1', [seeded.amd64, seeded.arm64]);
    await pushImage({ base: plain.url }, 'app/single', 'v1', seeded.single);
    work = await tempDir('oci-bearer');
    await writeFile(join(work, 'images.list'), 'app/multi:v1\napp/single:v1\n');
  });
  afterAll(async () => {
    await watched?.stop();
    await Promise.all([secured?.stop(), plain?.stop()]);
    await tokens?.stop();
    if (work) await removeTempDir(work);
  });
  beforeEach(() => {
    tokens.setBehaviour({});
    tokens.requests.length = 0;
    watched.requests.length = 0;
  });

  const allImages = (): BuiltImage[] => [seeded.amd64, seeded.arm64, seeded.single];

  async function expectImagesIn(base: string, authorization: string | undefined, prefix: string): Promise<void> {
    const target = { base, authorization };
    expect((await fetchManifest(target, `${prefix}app/multi`, 'v1'))?.digest).toBe(seeded.index.digest);
    expect((await fetchManifest(target, `${prefix}app/single`, 'v1'))?.digest).toBe(seeded.single.manifest.digest);
    for (const image of allImages()) {
      const repository = image === seeded.single ? `${prefix}app/single` : `${prefix}app/multi`;
      expect((await fetchManifest(target, repository, image.manifest.digest))?.digest).toBe(image.manifest.digest);
      for (const blob of [image.config, ...image.layers])
        expect((await fetchBlob(target, repository, blob.digest))?.equals(blob.bytes)).toBe(true);
    }
  }

  it('pulls from the token registry with one pull token per repository, reused for every blob', async () => {
    const result = await dockyard(
      [
        'sync',
        join(work, 'images.list'),
        '--from',
        watched.host,
        '--to',
        `${plain.host}/pulled`,
        '--creds-env',
        credsFlag,
        '--report',
        join(work, 'pull'),
      ],
      env,
    );
    expect(result.exitCode).toBe(0);
    await expectImagesIn(plain.url, undefined, 'pulled/');

    expect(tokens.requests.map((r) => [r.service, r.user, r.status])).toEqual(
      tokens.requests.map(() => [tokens.service, 'ci', 200]),
    );
    expect(tokens.requests.map(scopeSet).sort()).toEqual(['repository:app/multi:pull', 'repository:app/single:pull']);
    const blobGets = watched.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
    expect(blobGets.length).toBeGreaterThan(tokens.requests.length);
    // Only the ping went without a token.
    expect(watched.requests.filter((r) => r.status === 401).map((r) => r.path)).toEqual(['/v2/']);
  });

  it('pushes back into the token registry: pull,push tokens, one token for a cross-repository mount', async () => {
    const report = join(work, 'push');
    const result = await dockyard(
      [
        'sync',
        join(work, 'images.list'),
        '--from',
        plain.host,
        '--to',
        `${watched.host}/back`,
        '--creds-env',
        credsFlag,
        '--report',
        report,
      ],
      env,
    );
    expect(result.exitCode).toBe(0);
    await expectImagesIn(
      secured.url,
      `Bearer ${tokens.signToken(['repository:back/app/multi:pull', 'repository:back/app/single:pull'])}`,
      'back/',
    );

    expect(tokens.requests.every((r) => r.status === 200 && r.service === tokens.service)).toBe(true);
    const sets = tokens.requests.map(scopeSet);
    // Cached until expiry: no scope set was asked for twice.
    expect(new Set(sets).size).toBe(sets.length);
    for (const repository of ['back/app/multi', 'back/app/single'])
      expect(sets).toContain(`repository:${repository}:pull,push`);
    // The shared base layer went to one repository and was mounted into the other, with one
    // token covering push on the target and pull on the source repository.
    const mounts = tokens.requests.filter((r) => r.scopes.length === 2);
    expect(mounts.map(scopeSet)).toEqual([
      expect.stringMatching(
        /^repository:back\/app\/(multi:pull repository:back\/app\/single:pull,push|multi:pull,push repository:back\/app\/single:pull)$/,
      ),
    ]);
    expect(JSON.parse(await readFile(join(report, 'sync-report.json'), 'utf8'))).toMatchObject({
      missingSources: [],
      missingTargets: [],
    });
    const uploads = watched.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    expect(uploads.length).toBeGreaterThan(tokens.requests.length);
  });

  it('accepts token responses that carry only access_token, with credentials from a docker config.json', async () => {
    tokens.setBehaviour({ accessTokenOnly: true });
    const authfile = join(work, 'config.json');
    await writeFile(
      authfile,
      JSON.stringify({ auths: { [watched.host]: { auth: Buffer.from(`ci:${password}`).toString('base64') } } }),
      { mode: 0o600 },
    );
    const result = await dockyard([
      'copy',
      `docker://${watched.host}/app/single:v1`,
      `docker://${plain.host}/oauth/single:v1`,
      '--authfile',
      authfile,
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(tokens.requests.map((r) => [scopeSet(r), r.user, r.status])).toEqual([
      ['repository:app/single:pull', 'ci', 200],
    ]);
    expect((await fetchManifest({ base: plain.url }, 'oauth/single', 'v1'))?.digest).toBe(
      seeded.single.manifest.digest,
    );
  });

  it('fetches a new token when the registry rejects an expired one, in both directions', async () => {
    tokens.setBehaviour({ expireFirstTokenOfEachScopeSet: true });
    const pulled = await dockyard(
      [
        'copy',
        `docker://${watched.host}/app/multi:v1`,
        `docker://${plain.host}/renewed/multi:v1`,
        '--creds-env',
        credsFlag,
      ],
      env,
    );
    expect(pulled.stderr).toBe('');
    expect(pulled.exitCode).toBe(0);
    expect((await fetchManifest({ base: plain.url }, 'renewed/multi', 'v1'))?.digest).toBe(seeded.index.digest);
    expect(tokens.requests.map((r) => [scopeSet(r), r.expired])).toEqual([
      ['repository:app/multi:pull', true],
      ['repository:app/multi:pull', false],
    ]);
    expect(watched.requests.filter((r) => r.status === 401 && r.path !== '/v2/')).toHaveLength(1);

    tokens.requests.length = 0;
    const pushed = await dockyard(
      [
        'copy',
        `docker://${plain.host}/app/multi:v1`,
        `docker://${watched.host}/renewed/multi:v1`,
        '--creds-env',
        credsFlag,
      ],
      env,
    );
    expect(pushed.stderr).toBe('');
    expect(pushed.exitCode).toBe(0);
    const target = {
      base: secured.url,
      authorization: `Bearer ${tokens.signToken(['repository:renewed/multi:pull'])}`,
    };
    expect((await fetchManifest(target, 'renewed/multi', 'v1'))?.digest).toBe(seeded.index.digest);
    for (const image of [seeded.amd64, seeded.arm64]) {
      for (const blob of [image.config, ...image.layers])
        expect((await fetchBlob(target, 'renewed/multi', blob.digest))?.equals(blob.bytes)).toBe(true);
    }
    // Each scope set: one expired token, then one fresh token shared by every request that
    // was rejected at the same time.
    const issued = tokens.requests.map((r) => `${scopeSet(r)} ${r.expired ? 'expired' : 'fresh'}`).sort();
    expect(issued).toEqual([
      'repository:renewed/multi:pull expired',
      'repository:renewed/multi:pull fresh',
      'repository:renewed/multi:pull,push expired',
      'repository:renewed/multi:pull,push fresh',
    ]);
  });

  it('names the registry when the token server refuses the password, and never prints it', async () => {
    const wrong = 'wrong-T0ken-Pa55word-also-secret';
    const report = join(work, 'wrong');
    const result = await dockyard(
      [
        'sync',
        join(work, 'images.list'),
        '--from',
        plain.host,
        '--to',
        `${watched.host}/denied`,
        '--creds-env',
        credsFlag,
        '--report',
        report,
        '--retries',
        '2',
        '--debug',
      ],
      { TOKEN_USER: 'ci', TOKEN_PASS: wrong },
    );
    expect(result.exitCode).toBe(1);
    for (const image of ['multi', 'single']) {
      expect(result.stderr).toContain(
        `failed ${watched.host}/denied/app/${image}:v1: docker://${watched.host}/denied/app/${image}:v1: ${tokens.realm}: token service refused the request (HTTP 401) — check the credentials configured for ${watched.host}`,
      );
    }
    // A refused password is not retried: one token request per repository.
    expect(tokens.requests.map((r) => [scopeSet(r), r.user, r.status]).sort()).toEqual([
      ['repository:denied/app/multi:pull', 'ci', 401],
      ['repository:denied/app/single:pull', 'ci', 401],
    ]);
    expect((await readFile(join(report, 'miss_push_image.txt'), 'utf8')).split('\n').filter(Boolean).sort()).toEqual([
      `${watched.host}/denied/app/multi:v1`,
      `${watched.host}/denied/app/single:v1`,
    ]);
    const everything = [result.stdout, result.stderr, await allFileText(report)].join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`ci:${wrong}`).toString('base64'));
  });
});
