import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, fetchBlob, fetchManifest, pushIndex, randomLayer } from '../support/test-images';

async function files(dir: string, content: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(content)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

interface Manifest {
  layers: { digest: string }[];
  config: { digest: string };
}

/** Each layer of the one image in an OCI layout: its digest and the distinct mtimes of its tar entries. */
async function layerTimes(layout: string): Promise<{ digest: string; times: number[] }[]> {
  const blob = (digest: string) => readFile(join(layout, 'blobs', 'sha256', digest.slice(7)));
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse((await blob(index.manifests[0]!.digest)).toString()) as Manifest;
  return Promise.all(
    manifest.layers.map(async ({ digest }) => {
      const tar = gunzipSync(await blob(digest));
      const times = new Set<number>();
      for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
        const size = parseInt(
          tar
            .subarray(at + 124, at + 136)
            .toString()
            .replace(/\0.*$/, '')
            .trim() || '0',
          8,
        );
        const type = String.fromCharCode(tar[at + 156]!);
        if (type !== 'x' && type !== 'g')
          times.add(
            parseInt(
              tar
                .subarray(at + 136, at + 148)
                .toString()
                .trim(),
              8,
            ),
          );
        at += 512 + Math.ceil(size / 512) * 512;
      }
      return { digest, times: [...times] };
    }),
  );
}

describe('dockyard build', () => {
  let registry: RunningRegistry;
  let server: StaticServer;
  let work: string;
  const env: Record<string, string> = {};
  const tool = Buffer.from('#!/bin/sh\necho downloaded tool\n');
  const toolDigest = `sha256:${createHash('sha256').update(tool).digest('hex')}`;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('build-cli');
    await files(join(work, 'www'), { 'tools/tool.sh': tool.toString() });
    server = await serveFolder(join(work, 'www'));
    env.DOCKYARD_STORE = join(work, 'store');
    env.SOURCE_DATE_EPOCH = '1700000000';
    const images = ['amd64', 'arm64'].map((architecture) =>
      buildImage({ layers: [randomLayer(10_000)], architecture, cmd: ['sh'] }),
    );
    await pushIndex({ base: registry.url }, 'base/tiny', '1', images);
  });
  afterAll(async () => {
    await server?.stop();
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('builds per platform on a registry base, adds a URL checked by --checksum, and writes a registry, an OCI layout and a docker archive', async () => {
    const context = join(work, 'ctx');
    await files(context, {
      Dockerfile: `FROM ${registry.host}/base/tiny:1\nARG TARGETARCH\nCOPY bin/$TARGETARCH/app /usr/bin/app\nADD --checksum=${toolDigest} ${server.url}tools/tool.sh /opt/\nENV MODE=prod\n`,
      'bin/amd64/app': 'amd64 app',
      'bin/arm64/app': 'arm64 app',
    });
    const layout = join(work, 'layout');
    const archive = join(work, 'image.tar');
    const run = await dockyard(
      [
        'build',
        context,
        '--platform',
        'linux/amd64,linux/arm64',
        '-t',
        `docker://${registry.host}/demo/app:1`,
        '-t',
        `oci:${layout}:app`,
        '-t',
        `docker-archive:${archive}:demo/app:1`,
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const built = /built (sha256:\w+)/.exec(run.stdout)![1];
    const index = await fetchManifest({ base: registry.url }, 'demo/app', '1');
    expect(index?.digest).toBe(built);
    const children = (
      JSON.parse(index!.bytes.toString()) as { manifests: { digest: string; platform: { architecture: string } }[] }
    ).manifests;
    expect(children.map((c) => c.platform.architecture)).toEqual(['amd64', 'arm64']);
    for (const child of children) {
      const manifest = JSON.parse(
        (await fetchManifest({ base: registry.url }, 'demo/app', child.digest))!.bytes.toString(),
      ) as Manifest;
      expect(manifest.layers).toHaveLength(3);
      const app = gunzipSync((await fetchBlob({ base: registry.url }, 'demo/app', manifest.layers[1]!.digest))!);
      expect(app.includes(Buffer.from(`${child.platform.architecture} app`))).toBe(true);
      const added = gunzipSync((await fetchBlob({ base: registry.url }, 'demo/app', manifest.layers[2]!.digest))!);
      expect(added.includes(tool)).toBe(true);
      const config = JSON.parse(
        (await fetchBlob({ base: registry.url }, 'demo/app', manifest.config.digest))!.toString(),
      ) as { architecture: string; config: { Env: string[]; Cmd: string[] } };
      expect(config.architecture).toBe(child.platform.architecture);
      expect(config.config).toMatchObject({ Env: ['PATH=/bin', 'MODE=prod'], Cmd: ['sh'] });
    }
    const oci = JSON.parse((await execa('skopeo', ['inspect', '--raw', `oci:${layout}:app`])).stdout) as {
      manifests: unknown[];
    };
    expect(oci.manifests).toHaveLength(2);
    const fromArchive = JSON.parse((await execa('skopeo', ['inspect', `docker-archive:${archive}`])).stdout) as {
      Architecture: string;
      Layers: string[];
    };
    expect(fromArchive.Layers).toHaveLength(3);
  });

  it('refuses a download whose digest is not the --checksum, naming the URL', async () => {
    const context = join(work, 'ctx-bad');
    await files(context, {
      Kubefile: `FROM scratch\nADD --checksum=sha256:${'0'.repeat(64)} ${server.url}tools/tool.sh /opt/\n`,
    });
    const run = await dockyard(['build', context], env);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `Kubefile:2: ADD: ${server.url}tools/tool.sh: the download has digest ${toolDigest}, not the --checksum sha256:${'0'.repeat(64)}`,
    );
  });

  it('gives one digest from two clones with separate stores: the epoch is the last commit time, not the clock', async () => {
    const origin = join(work, 'origin');
    await files(origin, {
      Kubefile: 'FROM scratch\nCOPY . /app/\n',
      'a.txt': 'a\n',
      'sub/b.txt': 'b\n',
      '.dockerignore': 'Kubefile\n.git\n',
    });
    const git = (cwd: string, ...args: string[]) =>
      execa('git', args, {
        cwd,
        env: { GIT_COMMITTER_DATE: '2024-03-01T10:00:00Z', GIT_AUTHOR_DATE: '2024-03-01T10:00:00Z' },
      });
    await git(origin, 'init', '-q');
    await git(origin, 'add', '.');
    await git(origin, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'c');
    const clone = join(work, 'clone');
    await git(work, 'clone', '-q', origin, clone);
    const noEpoch = { DOCKYARD_STORE: join(work, 'store-1') };
    const one = await dockyard(['build', origin], noEpoch);
    const two = await dockyard(['build', clone], { DOCKYARD_STORE: join(work, 'store-2') });
    expect(one.exitCode).toBe(0);
    const digest = /built (sha256:\w+)/.exec(one.stdout)![1];
    expect(/built (sha256:\w+)/.exec(two.stdout)![1]).toBe(digest);
    expect(one.stdout).toContain(`epoch ${Date.parse('2024-03-01T10:00:00Z') / 1000}`);
  });

  it("rebuilds only the layer whose files a commit touched: each COPY layer takes its own files' last commit time", async () => {
    const origin = join(work, 'layered');
    await files(origin, {
      Kubefile: 'FROM scratch\nCOPY charts/ /charts/\nCOPY manifests/ /manifests/\nCOPY registry/ /registry/\n',
      'charts/app/Chart.yaml': 'version: 1.0.0\n',
      'manifests/app.yaml': 'kind: ConfigMap\n',
      '.dockerignore': 'Kubefile\n.git\n.gitignore\n',
      '.gitignore': 'registry/\n',
    });
    const at = (date: string) => ({ GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
    const git = (cwd: string, date: string, ...args: string[]) =>
      execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, env: at(date) });
    await git(origin, '2024-03-01T10:00:00Z', 'init', '-q');
    await git(origin, '2024-03-01T10:00:00Z', 'add', '.');
    await git(origin, '2024-03-01T10:00:00Z', 'commit', '-qm', 'first');
    // What init.sh would generate: no commit holds it, so its layer's time is 0 on every commit.
    await files(origin, { 'registry/blob': 'generated\n' });
    const store = { DOCKYARD_STORE: join(work, 'store-layered') };
    const layout = join(work, 'layered-out');
    const build = async (dir: string, env: Record<string, string>) => {
      const run = await dockyard(['build', dir, '-t', `oci:${layout}:app`], env);
      expect(run.exitCode, run.stderr).toBe(0);
      return run.stdout;
    };
    expect(await build(origin, store)).toContain('(3 layers built, 0 from cache;');
    const before = await layerTimes(layout);

    await files(origin, { 'charts/app/Chart.yaml': 'version: 1.0.1\n' });
    await git(origin, '2024-04-01T10:00:00Z', 'commit', '-qam', 'chart bump');
    const rebuilt = await build(origin, store);
    expect(rebuilt).toContain('(1 layers built, 2 from cache;');
    expect(rebuilt).toContain(`epoch ${Date.parse('2024-04-01T10:00:00Z') / 1000}`);
    const after = await layerTimes(layout);
    expect(after.map((l) => l.times)).toEqual([
      [Date.parse('2024-04-01T10:00:00Z') / 1000],
      [Date.parse('2024-03-01T10:00:00Z') / 1000],
      [0],
    ]);
    expect(after[0]!.digest).not.toBe(before[0]!.digest);
    expect(after.slice(1)).toEqual(before.slice(1));

    const clone = join(work, 'layered-clone');
    await execa('git', ['clone', '-q', origin, clone]);
    await files(clone, { 'registry/blob': 'generated\n' });
    const digest = (out: string) => /built (sha256:\w+)/.exec(out)![1];
    expect(digest(await build(clone, { DOCKYARD_STORE: join(work, 'store-layered-clone') }))).toBe(digest(rebuilt));
  });

  it('builds FROM an oci: layout and copies files out of an image with COPY --from (its layers unpacked from the store)', async () => {
    const baseContext = join(work, 'ctx-base');
    await files(baseContext, {
      Kubefile: 'FROM scratch\nCOPY etc /etc/\nCOPY bin /bin/\n',
      'etc/os-release': 'NAME=base\n',
      'bin/tool': 'tool v1\n',
    });
    const layout = join(work, 'base-layout');
    expect((await dockyard(['build', baseContext, '-t', `oci:${layout}:base`], env)).exitCode).toBe(0);
    const context = join(work, 'ctx-from');
    await files(context, {
      Kubefile: `FROM oci:${layout}:base AS base\nCOPY extra.txt /etc/extra.txt\nFROM scratch\nCOPY --from=base /etc/ /etc/\nCOPY --from=oci:${layout}:base /bin/tool /usr/bin/tool\n`,
      'extra.txt': 'extra\n',
    });
    const out = join(work, 'from-layout');
    const run = await dockyard(['build', context, '-t', `oci:${out}:app`], env);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const manifest = JSON.parse((await execa('skopeo', ['inspect', '--raw', `oci:${out}:app`])).stdout) as Manifest;
    expect(manifest.layers).toHaveLength(2);
    const listing = async (digest: string) =>
      (await execa('tar', ['-tzf', join(out, 'blobs', 'sha256', digest.slice(7))])).stdout.split('\n').sort();
    expect(await listing(manifest.layers[0]!.digest)).toEqual(['etc/', 'etc/extra.txt', 'etc/os-release']);
    expect(await listing(manifest.layers[1]!.digest)).toEqual(['usr/', 'usr/bin/', 'usr/bin/tool']);
  });

  it('refuses a Kubefile with RUN at its line, without a stack trace', async () => {
    const context = join(work, 'ctx-run');
    await files(context, { Kubefile: 'FROM scratch\nCOPY a /a\nRUN echo hi\n', a: 'x' });
    const run = await dockyard(['build', context], env);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^dockyard build: .*ctx-run\/Kubefile:3: RUN needs a container engine/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
