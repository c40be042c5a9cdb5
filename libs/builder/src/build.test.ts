import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { buildImages, type BuildRequest } from './build';
import { ContentStore, type Image, type ImageConfig } from './oci';

async function files(dir: string, content: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(content)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

async function request(context: string, store: ContentStore, extra: Partial<BuildRequest> = {}): Promise<BuildRequest> {
  return {
    dockerfile: join(context, 'Kubefile'),
    contextDir: context,
    platforms: [{ os: 'linux', architecture: 'amd64' }],
    store,
    epoch: 1700000000,
    openImage: async (ref) => {
      throw new Error(`no registry in this test (${ref})`);
    },
    download: async (url) => {
      const descriptor = await store.ingest(
        Readable.from([Buffer.from(`downloaded ${url}`)]),
        'application/octet-stream',
      );
      return { digest: descriptor.digest, size: descriptor.size, path: store.path(descriptor.digest) };
    },
    ...extra,
  };
}

/** Member names of a layer, in archive order. */
async function layerNames(store: ContentStore, image: Image, index: number): Promise<string[]> {
  const tar = gunzipSync(await readFile(store.path(image.layers[index]!.descriptor.digest)));
  const names: string[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 135).toString(), 8);
    if (String.fromCharCode(header[156]!) !== 'x') names.push(name);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

const KUBEFILE = `# syntax=docker/dockerfile:1
ARG VERSION=1.0
FROM scratch
ARG TARGETARCH
ARG VERSION
LABEL org.opencontainers.image.version=$VERSION arch=$TARGETARCH
COPY charts charts
COPY opt/$TARGETARCH/ opt/
COPY --chmod=0755 entrypoint.sh /
WORKDIR /app
COPY <<NOTES notes.txt
version $VERSION
NOTES
ENV NAME=demo
EXPOSE 80 53/udp
CMD ["bash", "entrypoint.sh"]
`;

describe('buildImages', () => {
  it('builds one image per platform and an index, with $TARGETARCH picking per-arch files, Docker placement and config', async () => {
    const context = await tempDirFor(onTestFinished, 'build-ctx');
    const store = new ContentStore(await tempDirFor(onTestFinished, 'build-store'));
    await files(context, {
      Kubefile: KUBEFILE,
      'charts/app/Chart.yaml': 'name: app\n',
      'charts/app/ignored.bak': 'x',
      'opt/amd64/helm': 'amd64 helm',
      'opt/arm64/helm': 'arm64 helm',
      'entrypoint.sh': 'echo hi\n',
      '.dockerignore': '**/*.bak\n',
    });
    const result = await buildImages(
      await request(context, store, {
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64' },
        ],
        buildArgs: { VERSION: '2.0', UNUSED: 'x' },
      }),
    );
    expect(result.top.kind).toBe('index');
    expect(result.unusedBuildArgs).toEqual(['UNUSED']);
    const [amd64, arm64] = result.images.map((i) => i.image);
    const config = (await amd64!.configJson()) as ImageConfig;
    expect(config).toMatchObject({ architecture: 'amd64', os: 'linux', created: '2023-11-14T22:13:20Z' });
    expect(config.config).toMatchObject({
      Labels: { 'org.opencontainers.image.version': '2.0', arch: 'amd64' },
      WorkingDir: '/app',
      Env: ['NAME=demo'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Cmd: ['bash', 'entrypoint.sh'],
    });
    expect(config.history?.map((h) => [h.created_by, h.empty_layer ?? false])).toEqual([
      ['LABEL org.opencontainers.image.version=$VERSION arch=$TARGETARCH', true],
      ['COPY charts charts', false],
      ['COPY opt/$TARGETARCH/ opt/', false],
      ['COPY --chmod=0755 entrypoint.sh /', false],
      ['WORKDIR /app', true],
      ['COPY <<NOTES notes.txt', false],
      ['ENV NAME=demo', true],
      ['EXPOSE 80 53/udp', true],
      ['CMD ["bash", "entrypoint.sh"]', true],
    ]);
    expect(await layerNames(store, amd64!, 0)).toEqual(['charts/', 'charts/app/', 'charts/app/Chart.yaml']);
    expect(await layerNames(store, amd64!, 1)).toEqual(['opt/', 'opt/helm']);
    expect(await layerNames(store, amd64!, 3)).toEqual(['app/', 'app/notes.txt']);
    const notes = gunzipSync(await readFile(store.path(amd64!.layers[3]!.descriptor.digest)));
    expect(notes.includes(Buffer.from('version 2.0\n'))).toBe(true);
    // Same charts layer on both arches, different opt/ layer.
    expect(arm64!.layers[0]!.descriptor.digest).toBe(amd64!.layers[0]!.descriptor.digest);
    expect(arm64!.layers[1]!.descriptor.digest).not.toBe(amd64!.layers[1]!.descriptor.digest);
    const helm = gunzipSync(await readFile(store.path(arm64!.layers[1]!.descriptor.digest)));
    expect(helm.includes(Buffer.from('arm64 helm'))).toBe(true);
  });

  it('gives the same digest from another clone on another day, and rebuilds only the layer of a changed file', async () => {
    const origin = await tempDirFor(onTestFinished, 'build-origin');
    await files(origin, {
      Kubefile: 'FROM scratch\nCOPY charts charts\nCOPY registry registry\n',
      'charts/a/values.yaml': 'a: 1\n',
      'registry/docker/registry/v2/blob': 'blob',
    });
    const git = (cwd: string, ...args: string[]) =>
      execa('git', args, {
        cwd,
        env: { GIT_COMMITTER_DATE: '2024-05-01T00:00:00Z', GIT_AUTHOR_DATE: '2024-05-01T00:00:00Z' },
      });
    await git(origin, 'init', '-q');
    await git(origin, 'add', '.');
    await git(origin, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'app');
    const clone = join(await tempDirFor(onTestFinished, 'build-clone'), 'c');
    await git(origin, 'clone', '-q', origin, clone);
    const storeA = new ContentStore(await tempDirFor(onTestFinished, 'store-a'));
    const storeB = new ContentStore(await tempDirFor(onTestFinished, 'store-b'));
    const a = await buildImages({ ...(await request(origin, storeA)), epoch: undefined });
    const b = await buildImages({ ...(await request(clone, storeB)), epoch: undefined });
    expect(a.epoch).toBe(Date.parse('2024-05-01T00:00:00Z') / 1000);
    expect(b.top.manifest.digest).toBe(a.top.manifest.digest);

    await writeFile(join(origin, 'charts/a/values.yaml'), 'a: 2\n');
    const c = await buildImages({ ...(await request(origin, storeA)), epoch: a.epoch });
    expect([c.layersBuilt, c.layersCached]).toEqual([1, 1]);
    const [before, after] = [a, c].map((r) => (r.top as Image).layers.map((l) => l.descriptor.digest));
    expect(after![1]).toBe(before![1]);
    expect(after![0]).not.toBe(before![0]);
  });

  it('extracts local archives with ADD, keeps URLs as files, and copies from an earlier stage', async () => {
    const context = await tempDirFor(onTestFinished, 'build-add');
    await files(context, { 'rootfs/etc/os-release': 'NAME=test\n', 'rootfs/bin/tool': '#!/bin/sh\n' });
    await execa('tar', ['-C', join(context, 'rootfs'), '-cJf', join(context, 'rootfs.tar.xz'), '.']);
    await writeFile(
      join(context, 'Kubefile'),
      'FROM scratch AS base\nADD rootfs.tar.xz /\nADD https://example.invalid/files/tool.bin /opt/\nFROM scratch\nCOPY --from=base /etc/os-release /etc/\nCOPY --from=0 /opt/tool.bin /tool\n',
    );
    const store = new ContentStore(await tempDirFor(onTestFinished, 'store-add'));
    const result = await buildImages(await request(context, store));
    const image = result.top as Image;
    expect(await layerNames(store, image, 0)).toEqual(['etc/', 'etc/os-release']);
    expect(await layerNames(store, image, 1)).toEqual(['tool']);
    const tool = gunzipSync(await readFile(store.path(image.layers[1]!.descriptor.digest)));
    expect(tool.includes(Buffer.from('downloaded https://example.invalid/files/tool.bin'))).toBe(true);
    const base = await buildImages(await request(context, store, { target: 'base' }));
    const names = await layerNames(store, base.top as Image, 0);
    expect(names).toEqual(expect.arrayContaining(['bin/', 'bin/tool', 'etc/os-release']));
  });

  it('refuses RUN at its file:line with what to do instead', async () => {
    const context = await tempDirFor(onTestFinished, 'build-run');
    await files(context, { Kubefile: 'FROM scratch\nCOPY a /\nRUN echo hi\n', a: 'x' });
    const store = new ContentStore(await tempDirFor(onTestFinished, 'store-run'));
    await expect(buildImages(await request(context, store))).rejects.toThrow(
      /Kubefile:3: RUN needs a container engine.*ContainerImage/,
    );
  });

  it('keeps modes, applies --chown and --chmod and builds the same bytes for the same input', async () => {
    const context = await tempDirFor(onTestFinished, 'build-modes');
    await files(context, {
      Kubefile: 'FROM scratch\nCOPY --chown=1000:1001 run.sh data/ /srv/\n',
      'run.sh': 'x',
      'data/d.txt': 'd',
    });
    await execa('chmod', ['0750', join(context, 'run.sh')]);
    const store = new ContentStore(await tempDirFor(onTestFinished, 'store-modes'));
    const one = await buildImages(await request(context, store));
    const copy = await tempDirFor(onTestFinished, 'build-modes-copy');
    await cp(context, copy, { recursive: true, preserveTimestamps: false });
    const two = await buildImages(
      await request(copy, new ContentStore(await tempDirFor(onTestFinished, 'store-modes-2'))),
    );
    expect(two.top.manifest.digest).toBe(one.top.manifest.digest);
    const tar = gunzipSync(await readFile(store.path((one.top as Image).layers[0]!.descriptor.digest)));
    const runSh = tar.indexOf(Buffer.from('srv/run.sh'));
    expect(parseInt(tar.subarray(runSh + 100, runSh + 107).toString(), 8)).toBe(0o750);
    expect(parseInt(tar.subarray(runSh + 108, runSh + 115).toString(), 8)).toBe(1000);
    expect(parseInt(tar.subarray(runSh + 116, runSh + 123).toString(), 8)).toBe(1001);
    expect(createHash('sha256').update(tar).digest('hex')).toBe((one.top as Image).layers[0]!.diffId!.slice(7));
  });
});
