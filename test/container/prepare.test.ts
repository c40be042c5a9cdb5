import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBaseRootfs, prepareBases } from '@dockyard/container';
import { ContentStore } from '@dockyard/oci';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { writeRepositoryTree } from '../support/openeuler-repository';
import { tempDirFor } from '../support/tmp';
import { exampleWorkspace } from './workspace';

let repoRoot: string;
let server: StaticServer;

beforeAll(async () => {
  repoRoot = await tempDirFor(afterAll, 'oe-repo');
  await writeRepositoryTree(repoRoot, {
    version: '22.03-LTS-SP1',
    arches: ['amd64', 'arm64'],
    updates: ['2024-01-15', '2024-06-30'],
  });
  server = await serveFolder(repoRoot);
  afterAll(() => server.stop());
});

describe('prepare against an openEuler repository served over HTTP', () => {
  it('downloads both arches once into the shared store; a second prepare downloads nothing', async () => {
    const store = new ContentStore(await tempDirFor(afterAll, 'store'));
    const request = {
      repo: server.url,
      versions: ['22.03-lts-sp1'],
      arches: ['amd64', 'arm64'] as const,
      projectDir: repoRoot,
      store,
    };
    const first = await prepareBases({ ...request, arches: [...request.arches] });
    expect(first.map((b) => [b.arch, b.index, b.url.replace(server.url, '')])).toEqual([
      ['amd64', 'release', 'openEuler-22.03-LTS-SP1/docker_img/x86_64/openEuler-docker.x86_64.tar.xz'],
      ['arm64', 'release', 'openEuler-22.03-LTS-SP1/docker_img/aarch64/openEuler-docker.aarch64.tar.xz'],
    ]);
    expect(first.map((b) => b.fetched)).toEqual([true, true]);
    const archiveGets = () => server.requests.filter((r) => r.path.endsWith('.tar.xz')).length;
    const before = archiveGets();
    const second = await prepareBases({ ...request, arches: [...request.arches] });
    expect(second.map((b) => b.fetched)).toEqual([false, false]);
    expect(archiveGets()).toBe(before);
    expect(second.map((b) => b.digest)).toEqual(first.map((b) => b.digest));

    const rootfs = await openBaseRootfs(store, first[1]!.digest, first[1]!.url);
    const chunks: Buffer[] = [];
    for await (const chunk of await rootfs.open()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).includes(Buffer.from('etc/os-release'))).toBe(true);
  });

  it('takes the newest dated folder of the listing for `update` and the named one for update/DATE', async () => {
    const store = new ContentStore(await tempDirFor(afterAll, 'store'));
    const base = {
      repo: server.url,
      versions: ['22.03-LTS-SP1'],
      arches: ['amd64' as const],
      projectDir: repoRoot,
      store,
    };
    const [newest] = await prepareBases({ ...base, index: 'update' });
    expect(newest!.index).toBe('update/2024-06-30');
    expect(newest!.url).toContain('/docker_img/update/2024-06-30/x86_64/');
    const [dated] = await prepareBases({ ...base, index: 'update/2024-01-15' });
    expect(dated!.url).toContain('/docker_img/update/2024-01-15/x86_64/');
    expect(dated!.digest).not.toBe(newest!.digest);
  });

  it('resumes a download the server cut off, with a Range request', async () => {
    const store = new ContentStore(await tempDirFor(afterAll, 'store'));
    server.cutNextDownload('aarch64/openEuler-docker.aarch64.tar.xz', 400_000);
    const request = {
      repo: server.url,
      versions: ['22.03-LTS-SP1'],
      arches: ['arm64' as const],
      projectDir: repoRoot,
      store,
    };
    await expect(prepareBases(request)).rejects.toThrow();
    const [resumed] = await prepareBases(request);
    expect(resumed!.fetched).toBe(true);
    // What reached the disk before the cut (the last write may be lost with the connection) is not fetched again.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests.at(-1)!.range ?? '')?.[1]);
    expect(server.requests.at(-1)!.status).toBe(206);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(400_000);
  });

  it('fails on a wrong checksum, naming the archive and its .sha256sum, and stores nothing', async () => {
    const store = new ContentStore(await tempDirFor(afterAll, 'store'));
    const dir = join(repoRoot, 'openEuler-22.03-LTS-SP1/docker_img/update/2024-01-15/aarch64');
    await writeFile(
      join(dir, 'openEuler-docker.aarch64.tar.xz.sha256sum'),
      `${'1'.repeat(64)}  openEuler-docker.aarch64.tar.xz\n`,
    );
    const request = {
      repo: server.url,
      versions: ['22.03-LTS-SP1'],
      arches: ['arm64' as const],
      index: 'update/2024-01-15',
      projectDir: repoRoot,
      store,
    };
    await expect(prepareBases(request)).rejects.toThrow(
      /update\/2024-01-15\/aarch64\/openEuler-docker.aarch64.tar.xz: its sha256 is [0-9a-f]{64} but .*\.sha256sum says 1111/,
    );
  });

  it('names the URL when a version has no base image', async () => {
    const store = new ContentStore(await tempDirFor(afterAll, 'store'));
    await expect(
      prepareBases({ repo: server.url, versions: ['20.03-LTS'], arches: ['amd64'], projectDir: repoRoot, store }),
    ).rejects.toThrow(/openEuler-20.03-LTS\/docker_img\/x86_64\/openEuler-docker.x86_64.tar.xz.sha256sum: HTTP 404/);
  });

  it('dockyard prepare on the example fetches each version and arch once, then finds them in the store', async () => {
    const root = await tempDirFor(afterAll, 'oe-ws');
    await writeRepositoryTree(repoRoot, { version: '24.03-LTS', arches: ['amd64', 'arm64'] });
    await exampleWorkspace(root, {
      repo: server.url,
      registries: [{ registry: 'docker.io', repository: 'openeuler/openeuler' }],
    });
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKYARD_STORE: await tempDirFor(afterAll, 'store') };
    const cli = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');
    const first = await execa('node', [cli, 'prepare', 'releases/containers/openeuler'], {
      cwd: root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toContain('4 fetched, 0 already in');
    expect(first.stdout).toMatch(
      /^fetched 22.03-LTS-SP1 arm64 release sha256:[0-9a-f]{64} http:\/\/127.0.0.1:\d+\/openEuler-22.03-LTS-SP1\/docker_img\/aarch64\/openEuler-docker.aarch64.tar.xz$/m,
    );
    const second = await execa('node', [cli, 'prepare', 'releases/containers/openeuler'], {
      cwd: root,
      env,
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(second.stdout).toContain('0 fetched, 4 already in');
  });
});
