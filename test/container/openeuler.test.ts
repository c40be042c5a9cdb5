import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerEngine, type RunningDocker } from '../support/docker';
import { enableArm64Emulation } from '../support/foreign-arch';
import { writeRepositoryTree } from '../support/openeuler-repository';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';
import { exampleWorkspace, serveExampleRepository } from './workspace';

const CLI = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');
const INDEX_TYPES =
  'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json';
const TAGS = ['22.03-lts-sp1', '22.03', '24.03-lts', 'latest', '24.03'];
const creds = { username: 'publisher', password: 's3cret-pw' };

let engine: RunningDocker;
let server: StaticServer;
let open: RunningRegistry;
let authed: RunningRegistry;
let env: NodeJS.ProcessEnv;

/** The CLI as a user runs it, from the workspace root, against the private engine and a private store. */
function dockyard(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return execa('node', [CLI, ...args], {
    cwd,
    reject: false,
    env: { ...env, ...extraEnv },
    extendEnv: false,
    all: true,
    timeout: 600_000,
  });
}

async function registryGet(
  registry: RunningRegistry,
  path: string,
  accept?: string,
): Promise<{ status: number; body: string; digest: string | null }> {
  const headers: Record<string, string> = accept ? { accept } : {};
  if (registry === authed)
    headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const response = await fetch(`${registry.url}${path}`, { headers });
  return {
    status: response.status,
    body: await response.text(),
    digest: response.headers.get('docker-content-digest'),
  };
}

async function catalog(registry: RunningRegistry): Promise<string[]> {
  return (
    (JSON.parse((await registryGet(registry, '/v2/_catalog')).body) as { repositories: string[] }).repositories ?? []
  );
}

beforeAll(async () => {
  await enableArm64Emulation();
  engine = await startDockerEngine();
  afterAll(() => engine.stop());
  server = await serveExampleRepository(afterAll);
  open = await startRegistry();
  afterAll(() => open.stop());
  authed = await startRegistry({ auth: creds });
  afterAll(() => authed.stop());
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOCKER_HOST: engine.host,
    DOCKYARD_STORE: await tempDirFor(afterAll, 'store'),
  };
});

describe('the openeuler example: build both arches, check, publish to two registries', () => {
  let root: string;
  const registries = () => [
    { registry: open.host, repository: 'openeuler/openeuler' },
    {
      registry: authed.host,
      repository: 'mirror/openeuler',
      credentials: { usernameEnv: 'MIRROR_USER', passwordEnv: 'MIRROR_PASSWORD' },
    },
  ];
  const withCreds = { MIRROR_USER: creds.username, MIRROR_PASSWORD: creds.password };

  beforeAll(async () => {
    root = await tempDirFor(afterAll, 'oe-ws');
    const script = join(root, 'releases/containers/openeuler/test.sh');
    await exampleWorkspace(root, {
      repo: server.url,
      registries: registries(),
      check: { script: 'test.sh', timezone: 'UTC' },
    });
    // The project's own test: runs the image it is given and records the tag it was told.
    await writeFile(
      script,
      'set -e\necho "$DOCKER_TAG $DOCKER_PLATFORM" >> "$(dirname "$0")/tested.txt"\ndocker run --rm --network none "$DOCKER_IMAGE" test -f /etc/os-release\n',
    );
  });

  it('builds each version for amd64 and arm64 (RUN under qemu) into one index per version, under every tag', async () => {
    const result = await dockyard(root, ['build', '--project', 'releases/containers/openeuler']);
    expect(result.exitCode, result.all).toBe(0);
    const build = JSON.parse(await readFile(join(root, 'dist/openeuler/build/build.json'), 'utf8')) as {
      images: { tags: string[]; digest: string; platforms: { arch: string }[] }[];
    };
    expect(build.images.map((i) => i.tags)).toEqual([
      ['22.03-lts-sp1', '22.03'],
      ['24.03-lts', 'latest', '24.03'],
    ]);
    expect(build.images.map((i) => i.platforms.map((p) => p.arch))).toEqual([
      ['amd64', 'arm64'],
      ['amd64', 'arm64'],
    ]);
    const layout = JSON.parse(await readFile(join(root, 'dist/openeuler/build/oci/index.json'), 'utf8')) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(layout.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual(
      [...TAGS].sort(),
    );
    const index = JSON.parse(
      await readFile(join(root, 'dist/openeuler/build/oci/blobs/sha256', build.images[0]!.digest.slice(7)), 'utf8'),
    ) as { manifests: { platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
  });

  it('builds again without running a RUN whose Dockerfile and context did not change: the same arch images', async () => {
    type Summary = { images: { digest: string; platforms: { arch: string; digest: string; inputs?: string }[] }[] };
    const summary = async () =>
      JSON.parse(await readFile(join(root, 'dist/openeuler/build/build.json'), 'utf8')) as Summary;
    const first = await summary();
    expect(first.images.flatMap((i) => i.platforms.map((p) => p.inputs))).toEqual(
      Array(4).fill(expect.stringMatching(/^sha256:[0-9a-f]{64}$/)),
    );
    const result = await dockyard(root, ['build', 'releases/containers/openeuler']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toContain('building openeuler:');
    expect(result.all.match(/^reusing openeuler:\S+ for linux\/(amd64|arm64)/gm)).toHaveLength(4);
    // A RUN run again would have new timestamps, so new digests.
    expect((await summary()).images).toEqual(first.images);
  });

  it('checks every arch: linux, the arch (uname -m under qemu too), UTC, os-release VERSION = tag, then the test script', async () => {
    const result = await dockyard(root, ['check', 'releases/containers/openeuler']);
    expect(result.exitCode, result.all).toBe(0);
    const junit = await readFile(join(root, 'dist/openeuler/check/junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="openeuler:22.03-lts-sp1" tests="10" failures="0"');
    expect(junit).toContain('name="arm64: timezone is UTC"');
    expect(junit).toContain('name="arm64: /etc/os-release VERSION is 24.03-lts"');
    expect((await readFile(join(root, 'releases/containers/openeuler/tested.txt'), 'utf8')).trim().split('\n')).toEqual(
      ['22.03-lts-sp1 linux/amd64', '22.03-lts-sp1 linux/arm64', '24.03-lts linux/amd64', '24.03-lts linux/arm64'],
    );
  });

  it('refuses to publish while a credential variable is unset, naming it and its line, and pushes nothing', async () => {
    const result = await dockyard(root, ['publish', 'releases/containers/openeuler'], { MIRROR_USER: creds.username });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /project.yaml:\d+:\d+: registries\[1\].credentials: credentials for 127.0.0.1:\d+: MIRROR_PASSWORD \(the password\) is not set/,
    );
    expect(result.stderr).toContain('nothing was pushed');
    expect(await catalog(open)).toEqual([]);
    expect(await catalog(authed)).toEqual([]);
  });

  it('dry-run lists every tag for every registry and pushes nothing', async () => {
    const result = await dockyard(root, ['publish', 'releases/containers/openeuler', '--dry-run'], withCreds);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('would push'))).toHaveLength(TAGS.length * 2);
    expect(await catalog(open)).toEqual([]);
  });

  it('publishes every tag to both registries as the built indexes; publishing again writes nothing', async () => {
    const build = JSON.parse(await readFile(join(root, 'dist/openeuler/build/build.json'), 'utf8')) as {
      images: { tags: string[]; digest: string; platforms: { digest: string }[] }[];
    };
    const blob = async (digest: string) =>
      JSON.parse(await readFile(join(root, 'dist/openeuler/build/oci/blobs/sha256', digest.slice(7)), 'utf8')) as {
        config: { digest: string };
        layers: { digest: string }[];
      };
    const unique = new Set<string>();
    for (const image of build.images)
      for (const platform of image.platforms) {
        const manifest = await blob(platform.digest);
        for (const d of [manifest.config, ...manifest.layers]) unique.add(d.digest);
      }
    const first = await dockyard(root, ['publish', 'releases/containers/openeuler'], withCreds);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toContain(`published ${open.host}/openeuler/openeuler (5/5 tags)`);
    for (const [registry, repository] of [
      [open, 'openeuler/openeuler'],
      [authed, 'mirror/openeuler'],
    ] as const) {
      for (const image of build.images) {
        for (const tag of image.tags) {
          const got = await registryGet(registry, `/v2/${repository}/manifests/${tag}`, INDEX_TYPES);
          expect(got.status).toBe(200);
          expect(got.digest).toBe(image.digest);
        }
      }
    }
    // Every distinct blob of 2 versions × 2 arches (config + 2 layers each; equal RUN layers are one blob) sent once per registry.
    expect(unique.size).toBeGreaterThanOrEqual(8);
    expect(first.stdout).toMatch(new RegExp(`^${unique.size * 2} blobs copied`, 'm'));
    const again = await dockyard(root, ['publish', 'releases/containers/openeuler'], withCreds);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain(`unchanged ${open.host}/openeuler/openeuler`);
    expect(again.stdout).toContain(`unchanged ${authed.host}/mirror/openeuler`);
    expect(again.stdout).toMatch(/^0 blobs copied \(0 bytes\), 0 present, 0 mounted/m);
  });

  it('two repositories of one registry: each blob is sent once and mounted into the other', async () => {
    const one = await startRegistry();
    try {
      await exampleWorkspace(root, {
        repo: server.url,
        registries: [
          { registry: one.host, repository: 'a/openeuler' },
          { registry: one.host, repository: 'b/openeuler' },
        ],
        check: { script: 'test.sh' },
      });
      const result = await dockyard(root, ['publish', 'releases/containers/openeuler']);
      expect(result.exitCode, result.all).toBe(0);
      const [, copied, mounted] = /^(\d+) blobs copied .* (\d+) mounted/m.exec(result.stdout) ?? [];
      expect(Number(mounted)).toBeGreaterThan(0);
      expect(Number(copied) + Number(mounted)).toBeGreaterThanOrEqual(16);
      expect(Number(copied)).toBe(Number(mounted));
    } finally {
      await one.stop();
    }
  });

  it('a registry that fails is reported and does not stop the others', async () => {
    const dead = await startRegistry();
    const deadHost = dead.host;
    await dead.stop();
    const fresh = await startRegistry();
    try {
      await exampleWorkspace(root, {
        repo: server.url,
        registries: [
          { registry: deadHost, repository: 'x/openeuler' },
          { registry: fresh.host, repository: 'y/openeuler' },
        ],
        check: { script: 'test.sh' },
      });
      const result = await dockyard(root, ['publish', 'releases/containers/openeuler']);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`failed ${deadHost}/x/openeuler \\(0/5 tags\\): .*${deadHost}`));
      expect(result.stdout).toContain(`published ${fresh.host}/y/openeuler (5/5 tags)`);
    } finally {
      await fresh.stop();
    }
  });
});

describe('failures before anything is pushed, and what check catches', () => {
  it('a broken checksum fails the build, naming the archive, and leaves nothing to publish', async () => {
    const repo = await tempDirFor(afterAll, 'oe-bad');
    await writeRepositoryTree(repo, { version: '22.03-LTS-SP1', arches: ['amd64'] });
    await writeRepositoryTree(repo, { version: '24.03-LTS', arches: ['amd64'] });
    const sums = join(repo, 'openEuler-24.03-LTS/docker_img/x86_64/openEuler-docker.x86_64.tar.xz.sha256sum');
    await writeFile(sums, `${'e'.repeat(64)}  openEuler-docker.x86_64.tar.xz\n`);
    const bad = await serveFolder(repo);
    const registry = await startRegistry();
    try {
      const root = await tempDirFor(afterAll, 'oe-ws-bad');
      await exampleWorkspace(root, {
        repo: bad.url,
        registries: [{ registry: registry.host, repository: 'o/o' }],
        arches: ['amd64'],
      });
      const build = await dockyard(root, ['build', '--project', 'releases/containers/openeuler']);
      expect(build.exitCode).toBe(1);
      expect(build.stderr).toMatch(
        /openEuler-24.03-LTS\/docker_img\/x86_64\/openEuler-docker.x86_64.tar.xz: its sha256 is [0-9a-f]{64} but .*x86_64.tar.xz.sha256sum says e{64}; nothing was stored/,
      );
      const publish = await dockyard(root, ['publish', 'releases/containers/openeuler']);
      expect(publish.exitCode).toBe(1);
      expect(publish.stderr).toContain('no build of openeuler yet');
      expect(await (await fetch(`${registry.url}/v2/_catalog`)).json()).toEqual({ repositories: [] });
    } finally {
      await bad.stop();
      await registry.stop();
    }
  });

  it('a Dockerfile without RUN is built daemonless, and check fails it for not setting UTC', async () => {
    const root = await tempDirFor(afterAll, 'oe-ws-norun');
    await exampleWorkspace(root, {
      repo: server.url,
      registries: [{ registry: '127.0.0.1:1', repository: 'o/o' }],
      dockerfile: 'Dockerfile',
    });
    await writeFile(
      join(root, 'releases/containers/openeuler/Dockerfile'),
      'FROM scratch\nARG TARGETARCH\nADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /\nCMD ["bash"]\n',
    );
    const build = await dockyard(root, ['build', '--project', 'releases/containers/openeuler'], {
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(build.exitCode, build.all).toBe(0);
    expect(build.stderr).toContain('daemonless');
    const check = await dockyard(root, ['check', 'releases/containers/openeuler']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(
      /FAIL openeuler:22.03-lts-sp1 arm64: timezone is UTC: date \+%Z prints CST, expected UTC/,
    );
    expect(check.stdout).toMatch(/ok {3}openeuler:22.03-lts-sp1 arm64: \/etc\/os-release VERSION is 22.03-lts-sp1/);
    const junit = await readFile(join(root, 'dist/openeuler/check/junit.xml'), 'utf8');
    expect(junit).toContain('failures="2"');
  });
});
