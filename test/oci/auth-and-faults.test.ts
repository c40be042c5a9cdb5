import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { seedImages, type SeededImages } from '../support/seed';
import { fetchBlob, fetchManifest } from '../support/test-images';

async function allFileText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return parts.join('\n');
}

describe('sync with auth', () => {
  const password = 's3cret-Pa55word-never-printed';
  let secured: RunningRegistry;
  let plain: RunningRegistry;
  let work: string;

  beforeAll(async () => {
    [secured, plain] = await Promise.all([startRegistry({ auth: { username: 'ci', password } }), startRegistry()]);
    await seedImages(plain.url);
    work = await tempDir('oci-auth');
    await writeFile(join(work, 'images.list'), '# release images\n\napp/multi:v1\napp/single:v1\n');
    // A docker config with no entries, so the user's own ~/.docker cannot lend credentials to the test.
    await writeFile(join(work, 'empty-config.json'), '{}');
  });
  afterAll(async () => {
    await Promise.all([secured?.stop(), plain?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('pushes to an htpasswd registry with credentials from env vars named on the command line', async () => {
    const report = join(work, 'ok');
    const result = await dockyard(
      [
        'sync',
        join(work, 'images.list'),
        '--from',
        plain.host,
        '--to',
        secured.host,
        '--creds-env',
        `${secured.host}=DST_USER:DST_PASS`,
        '--report',
        report,
        '--debug',
      ],
      { DST_USER: 'ci', DST_PASS: password },
    );
    expect(result.exitCode).toBe(0);
    const authorization = `Basic ${Buffer.from(`ci:${password}`).toString('base64')}`;
    expect((await fetchManifest({ base: secured.url, authorization }, 'app/multi', 'v1'))?.digest).toBeDefined();
    for (const text of [result.stdout, result.stderr, await allFileText(report)]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(Buffer.from(`ci:${password}`).toString('base64'));
    }
  });

  it('names the registry and the fix when the password is wrong, and never prints it', async () => {
    const report = join(work, 'wrong');
    const wrong = 'wrong-Pa55word-also-secret';
    const result = await dockyard(
      [
        'sync',
        join(work, 'images.list'),
        '--from',
        plain.host,
        '--to',
        secured.host,
        '--creds-env',
        `${secured.host}=DST_USER:DST_PASS`,
        '--report',
        report,
        '--retries',
        '2',
        '--debug',
      ],
      { DST_USER: 'ci', DST_PASS: wrong },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`authentication failed for ${secured.host}; check the username and password`);
    expect((await readFile(join(report, 'miss_push_image.txt'), 'utf8')).split('\n').filter(Boolean).sort()).toEqual([
      `${secured.host}/app/multi:v1`,
      `${secured.host}/app/single:v1`,
    ]);
    const everything = [result.stdout, result.stderr, await allFileText(report)].join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`ci:${wrong}`).toString('base64'));
  });

  it('says no credentials are configured for a registry that asks for them, and how to give some', async () => {
    const result = await dockyard([
      'sync',
      join(work, 'images.list'),
      '--from',
      plain.host,
      '--to',
      secured.host,
      '--report',
      join(work, 'anonymous'),
      '--authfile',
      join(work, 'empty-config.json'),
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `no credentials are configured for ${secured.host}; name them in the project's sync credentials, or log in with \`docker login ${secured.host}\``,
    );
    expect(result.stderr).not.toContain('check the username and password');
  });

  it('tells which environment variable is missing', async () => {
    const result = await dockyard([
      'sync',
      join(work, 'images.list'),
      '--from',
      plain.host,
      '--to',
      secured.host,
      '--creds-env',
      `${secured.host}=NOPE_USER:NOPE_PASS`,
      '--report',
      join(work, 'missing'),
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `credentials for ${secured.host}: NOPE_USER (the username) and NOPE_PASS (the password) are not set`,
    );
  });
});

describe('sync through a faulty network', () => {
  let source: RunningRegistry;
  let target: RunningRegistry;
  let proxy: FaultProxy;
  let seeded: SeededImages;
  let work: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    seeded = await seedImages(source.url);
    proxy = await startFaultProxy(source.url);
    work = await tempDir('oci-faults');
    await writeFile(join(work, 'images.list'), 'app/multi:v1\napp/single:v1\napp/missing:v1\n');
  });
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await removeTempDir(work);
  });

  const isBlobGet = (r: { method: string; path: string }) => r.method === 'GET' && r.path.includes('/blobs/sha256:');

  it('survives 5xx, 429 with Retry-After, resets and stalls mid-body, with content identical to the source', async () => {
    const faults = ['status-503', 'status-429', 'reset-mid-body', 'stall-mid-body'] as const;
    let blobIndex = 0;
    const plan = new Map<string, (typeof faults)[number]>();
    proxy.setFaults((request, seen) => {
      if (request.method === 'GET' && request.path.includes('/manifests/') && seen === 0)
        return { kind: 'status', status: 502 };
      if (!isBlobGet(request) || seen > 0) return undefined;
      if (!plan.has(request.path)) plan.set(request.path, faults[blobIndex++ % faults.length]!);
      const fault = plan.get(request.path)!;
      if (fault === 'status-503') return { kind: 'status', status: 503 };
      if (fault === 'status-429') return { kind: 'status', status: 429, retryAfter: '1' };
      return { kind: fault };
    });
    const report = join(work, 'faults');
    const result = await dockyard([
      'sync',
      join(work, 'images.list'),
      '--from',
      proxy.host,
      '--to',
      target.host,
      '--report',
      report,
      '--stall-timeout',
      '1',
    ]);
    expect(result.exitCode).toBe(1);
    expect(new Set(plan.values())).toEqual(new Set(faults));
    // A reset or a stall cut the body at its middle; the retry asked for exactly the rest instead of
    // starting over (the upload it feeds waits for the source rather than timing out itself).
    const sizes = new Map(
      [seeded.amd64, seeded.arm64, seeded.single].flatMap((image) =>
        [image.config, ...image.layers].map((blob) => [blob.digest, blob.bytes.length]),
      ),
    );
    for (const [path] of [...plan].filter(([, fault]) => fault === 'reset-mid-body' || fault === 'stall-mid-body')) {
      const size = sizes.get(path.slice(path.lastIndexOf('/') + 1))!;
      expect(proxy.requests.filter((r) => isBlobGet(r) && r.path === path).map((r) => r.range)).toEqual([
        undefined,
        `bytes=${Math.floor(size / 2)}-`,
      ]);
    }
    expect((await readFile(join(report, 'miss_image.txt'), 'utf8')).trim()).toBe(`${proxy.host}/app/missing:v1`);
    for (const [repo, digest] of [
      ['app/multi', seeded.index.digest],
      ['app/single', seeded.single.manifest.digest],
    ]) {
      expect((await fetchManifest({ base: target.url }, repo!, 'v1'))?.digest).toBe(digest);
    }
    for (const image of [seeded.amd64, seeded.arm64]) {
      for (const blob of [image.config, ...image.layers])
        expect((await fetchBlob({ base: target.url }, 'app/multi', blob.digest))?.equals(blob.bytes)).toBe(true);
    }
    const json = JSON.parse(await readFile(join(report, 'sync-report.json'), 'utf8')) as {
      missingSources: string[];
      missingTargets: string[];
    };
    expect(json.missingSources).toEqual([`${proxy.host}/app/missing:v1`]);
    expect(json.missingTargets).toEqual([]);
  });

  it('rejects a blob corrupted in transit, never stores it, and names the image that kept failing', async () => {
    const corrupted = seeded.single.layers[1]!.digest;
    proxy.setFaults((request) =>
      isBlobGet(request) && request.path.endsWith(corrupted) ? { kind: 'corrupt' } : undefined,
    );
    await writeFile(join(work, 'single.list'), 'app/single:v1\n');
    const report = join(work, 'corrupt');
    const result = await dockyard([
      'sync',
      join(work, 'single.list'),
      '--from',
      proxy.host,
      '--to',
      `${target.host}/quarantine`,
      '--report',
      report,
      '--retries',
      '2',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${corrupted}.*does not match`));
    expect((await readFile(join(report, 'miss_image.txt'), 'utf8')).trim()).toBe(`${proxy.host}/app/single:v1`);
    expect(await fetchBlob({ base: target.url }, 'quarantine/app/single', corrupted)).toBeUndefined();
    expect(await fetchManifest({ base: target.url }, 'quarantine/app/single', 'v1')).toBeUndefined();
  });
});
