import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { create as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, fetchBlob, fetchManifest, pushIndex, randomLayer, type BuiltImage } from '../support/test-images';

const ARCHES = ['amd64', 'arm64'] as const;

/** A multi-arch image pushed to the harness registry; returns the per-arch manifest digests. */
async function pushMultiArch(
  registry: RunningRegistry,
  repository: string,
  tag: string,
): Promise<Record<string, string>> {
  const images: BuiltImage[] = ARCHES.map((architecture) =>
    buildImage({ layers: [randomLayer(20_000)], architecture }),
  );
  await pushIndex({ base: registry.url }, repository, tag, images);
  return Object.fromEntries(images.map((image) => [image.platform.architecture, image.manifest.digest]));
}

const INIT_SH = `#!/usr/bin/env bash
# init.sh ARCH NAME VERSION, as sealos' cluster-image runs it: fetch the chart and this arch's binary.
set -euo pipefail
ARCH=$1 NAME=$2 VERSION=$3
mkdir -p charts opt
curl -fsS "$APP_MIRROR/charts/demo-0.1.0.tgz" -o charts/demo-0.1.0.tgz
curl -fsS "$APP_MIRROR/bin/$ARCH/tool" -o opt/tool
chmod 0755 opt/tool
echo "fetched chart and tool for $NAME $VERSION $ARCH"
`;

describe('AppImage build (sealos cluster image)', () => {
  let upstream: RunningRegistry;
  let extra: RunningRegistry;
  let mirror: StaticServer;
  let work: string;
  let workspace: string;
  const digests: Record<string, Record<string, string>> = {};
  const env: Record<string, string> = {};

  beforeAll(async () => {
    upstream = await startRegistry();
    extra = await startRegistry({ auth: { username: 'pusher', password: 'extra-secret' } });
    work = await tempDir('app-image');
    // Images the app runs: one from the chart (tag overridden by charts/demo.values.yaml), one from a manifest,
    // one from a shim list, one listed but removed by .sealignore.
    digests.app = await pushMultiArch(upstream, 'library/app', '1.1');
    digests.sidecar = await pushMultiArch(upstream, 'tools/sidecar', '2.0');
    digests.extra = await pushMultiArch(upstream, 'extra/tool', '3');
    digests.ignored = await pushMultiArch(upstream, 'ignored/thing', '1');

    const files = join(work, 'mirror');
    const chart = join(work, 'chart-src', 'demo');
    await mkdir(join(chart, 'templates'), { recursive: true });
    await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    await writeFile(join(chart, 'values.yaml'), `image:\n  repository: ${upstream.host}/library/app\n  tag: "1.0"\n`);
    await writeFile(
      join(chart, 'templates', 'deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: demo }\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
    );
    await mkdir(join(files, 'charts'), { recursive: true });
    await createTar(
      { gzip: true, cwd: join(work, 'chart-src'), file: join(files, 'charts', 'demo-0.1.0.tgz'), portable: true },
      ['demo'],
    );
    for (const arch of ARCHES) {
      await mkdir(join(files, 'bin', arch), { recursive: true });
      await writeFile(join(files, 'bin', arch, 'tool'), `#!/bin/sh\necho tool for ${arch}\n`);
    }
    mirror = await serveFolder(files);
    env.APP_MIRROR = mirror.url.replace(/\/$/, '');
    env.DOCKYARD_STORE = join(work, 'store');
    env.EXTRA_USER = 'pusher';
    env.EXTRA_PASSWORD = 'extra-secret';

    workspace = join(work, 'ws');
    const app = join(workspace, 'apps', 'demo');
    const latest = join(app, 'latest');
    await mkdir(join(latest, 'manifests'), { recursive: true });
    await mkdir(join(latest, 'images', 'shim'), { recursive: true });
    await mkdir(join(latest, 'charts'), { recursive: true });
    await writeFile(join(workspace, 'nx.json'), '{}\n');
    await writeFile(
      join(app, 'project.yaml'),
      `kind: AppImage\nname: demo\nversions: ["1.0.0"]\narches: [amd64, arm64]\nrepository: ${upstream.host}/apps/demo\npublish:\n  registries:\n    - repository: ${extra.host}/mirror/demo\n      credentials: { usernameEnv: EXTRA_USER, passwordEnv: EXTRA_PASSWORD }\n`,
    );
    await writeFile(join(latest, 'init.sh'), INIT_SH);
    await chmod(join(latest, 'init.sh'), 0o755);
    await writeFile(
      join(latest, 'Kubefile'),
      'FROM scratch\nCOPY charts charts\nCOPY manifests manifests\nCOPY opt opt\nCOPY registry registry\nCMD ["helm upgrade -i demo charts/demo-0.1.0.tgz"]\n',
    );
    await writeFile(join(latest, 'charts', 'demo.values.yaml'), 'image:\n  tag: "1.1"\n');
    await writeFile(
      join(latest, 'manifests', 'sidecar.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata: { name: sidecar }\nspec:\n  containers:\n    - name: s\n      image: ${upstream.host}/tools/sidecar:2.0\n`,
    );
    await writeFile(
      join(latest, 'manifests', 'config.yaml.tmpl'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { host: "{{ .HOST }}" }\n',
    );
    await writeFile(
      join(latest, 'images', 'shim', 'list'),
      `${upstream.host}/extra/tool:3\n${upstream.host}/ignored/thing:1\n`,
    );
    await writeFile(join(latest, '.sealignore'), `${upstream.host}/ignored/thing:1\n`);
  });

  afterAll(async () => {
    await mirror?.stop();
    await upstream?.stop();
    await extra?.stop();
    if (work) await removeTempDir(work);
  });

  it('runs init.sh per arch, carries each discovered image for that arch in registry/, and pushes per-arch images and the index', async () => {
    const resolved = await dockyard(['resolve', 'apps/demo'], env, workspace);
    expect(resolved.exitCode, resolved.stderr).toBe(0);
    const built = await dockyard(['build', '--project', 'apps/demo'], env, workspace);
    expect(built.stderr).not.toMatch(/dockyard build:/);
    expect(built.exitCode).toBe(0);
    const dist = join(workspace, 'dist', 'demo', '1.0.0');
    for (const arch of ARCHES)
      expect(await readFile(join(dist, arch, 'init.log'), 'utf8')).toContain(
        `fetched chart and tool for demo 1.0.0 ${arch}`,
      );
    const record = JSON.parse(await readFile(join(dist, 'build.json'), 'utf8')) as {
      digest: string;
      arches: { arch: string; digest: string; images: { ref: string }[] }[];
    };
    expect(record.arches.map((a) => a.arch)).toEqual([...ARCHES]);
    expect(record.arches[0]!.images.map((i) => i.ref).sort()).toEqual([
      `${upstream.host}/extra/tool:3`,
      `${upstream.host}/library/app:1.1`,
      `${upstream.host}/tools/sidecar:2.0`,
    ]);
    const layout = JSON.parse(await readFile(join(dist, 'index.json'), 'utf8')) as {
      manifests: { annotations: Record<string, string> }[];
    };
    expect(layout.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort()).toEqual([
      '1.0.0',
      '1.0.0-amd64',
      '1.0.0-arm64',
    ]);

    const pushed = await dockyard(['build', '--project', 'apps/demo', '--push'], env, workspace);
    expect(pushed.stderr).toBe('');
    expect(pushed.exitCode).toBe(0);
    expect(pushed.stdout).not.toContain('extra-secret');
    // The extra registry, with credentials from the variables project.yaml names.
    const authorization = `Basic ${Buffer.from('pusher:extra-secret').toString('base64')}`;
    expect((await fetchManifest({ base: extra.url, authorization }, 'mirror/demo', '1.0.0'))?.digest).toBe(
      record.digest,
    );
    for (const { arch, digest } of record.arches)
      expect((await fetchManifest({ base: extra.url, authorization }, 'mirror/demo', `1.0.0-${arch}`))?.digest).toBe(
        digest,
      );
    const unchanged = await dockyard(['build', '--project', 'apps/demo', '--push'], env, workspace);
    expect(
      unchanged.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => line.startsWith('unchanged ')),
    ).toBe(true);

    // Pull the result back from the registry, independently of the engine.
    const target = { base: upstream.url };
    const index = await fetchManifest(target, 'apps/demo', '1.0.0');
    expect(index?.digest).toBe(record.digest);
    const children = (
      JSON.parse(index!.bytes.toString()) as { manifests: { digest: string; platform: { architecture: string } }[] }
    ).manifests;
    expect(children.map((c) => c.platform.architecture)).toEqual([...ARCHES]);
    for (const child of children) {
      const arch = child.platform.architecture;
      expect((await fetchManifest(target, 'apps/demo', `1.0.0-${arch}`))?.digest).toBe(child.digest);
      const manifest = JSON.parse((await fetchManifest(target, 'apps/demo', child.digest))!.bytes.toString()) as {
        layers: { digest: string }[];
      };
      const unpacked = join(work, `unpacked-${arch}`);
      await mkdir(unpacked, { recursive: true });
      for (const layer of manifest.layers) {
        const tarFile = join(work, `layer-${arch}.tar`);
        await writeFile(tarFile, gunzipSync((await fetchBlob(target, 'apps/demo', layer.digest))!));
        await execa('tar', ['-xf', tarFile, '-C', unpacked]);
      }
      expect(await readFile(join(unpacked, 'opt', 'tool'), 'utf8')).toContain(`tool for ${arch}`);
      expect(await readFile(join(unpacked, 'manifests', 'config.yaml.tmpl'), 'utf8')).toContain('{{ .HOST }}');

      // A stock registry serving the image's registry/ has every discovered image, for this arch, digest-identical.
      const served = await startRegistry({ storageDir: join(unpacked, 'registry'), readOnly: true });
      try {
        for (const [name, repository, tag] of [
          ['app', 'library/app', '1.1'],
          ['sidecar', 'tools/sidecar', '2.0'],
          ['extra', 'extra/tool', '3'],
        ] as const) {
          const got = await fetchManifest({ base: served.url }, repository, tag);
          expect(got?.digest, `${repository}:${tag} for ${arch}`).toBe(digests[name]![arch]);
          const config = JSON.parse(got!.bytes.toString()) as {
            config: { digest: string };
            layers: { digest: string }[];
          };
          const configJson = JSON.parse(
            (await fetchBlob({ base: served.url }, repository, config.config.digest))!.toString(),
          ) as { architecture: string };
          expect(configJson.architecture).toBe(arch);
          expect(await fetchBlob({ base: served.url }, repository, config.layers[0]!.digest)).toBeDefined();
        }
        expect(await fetchManifest({ base: served.url }, 'ignored/thing', '1')).toBeUndefined();
      } finally {
        await served.stop();
      }
    }
  });

  it('with a sign: section, refuses to push without the key variable and signs every pushed manifest with it', async () => {
    const projectFile = join(workspace, 'apps', 'demo', 'project.yaml');
    const plain = await readFile(projectFile, 'utf8');
    await writeFile(projectFile, `${plain}sign:\n  keyEnv: DEMO_SIGNING_KEY\n`);
    try {
      for (const name of ['k', 'other']) {
        await execa('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', `${name}.key`], { cwd: work });
        await execa('openssl', ['pkey', '-in', `${name}.key`, '-pubout', '-out', `${name}.pub`], { cwd: work });
      }
      const unset = await dockyard(['build', '--project', 'apps/demo', '--push'], env, workspace);
      expect(unset.exitCode).not.toBe(0);
      expect(unset.stderr).toMatch(
        /project\.yaml:\d+:\d+: sign\.keyEnv: the environment variable DEMO_SIGNING_KEY \(the signing key\) is not set; nothing was pushed/,
      );
      expect(unset.stdout).not.toMatch(/^(copied|unchanged) /m);

      const key = await readFile(join(work, 'k.key'), 'utf8');
      const pushed = await dockyard(
        ['build', '--project', 'apps/demo', '--push'],
        { ...env, DEMO_SIGNING_KEY: key },
        workspace,
      );
      expect(pushed.exitCode, pushed.stderr).toBe(0);
      expect(pushed.stdout).toContain(`signed ${upstream.host}/apps/demo@sha256:`);
      expect(pushed.stdout).not.toContain('PRIVATE KEY');
      const image = `docker://${upstream.host}/apps/demo:1.0.0`;
      for (const tag of ['1.0.0', '1.0.0-amd64', '1.0.0-arm64']) {
        const verified = await dockyard([
          'verify',
          '--key',
          join(work, 'k.pub'),
          `docker://${upstream.host}/apps/demo:${tag}`,
        ]);
        expect(verified.exitCode, verified.stderr).toBe(0);
        expect(verified.stdout).toContain('signature OK');
      }
      const other = await dockyard(['verify', '--key', join(work, 'other.pub'), image]);
      expect(other.exitCode).not.toBe(0);
    } finally {
      await writeFile(projectFile, plain);
    }
  });

  it('carries the digests the lock pins: a moved tag reaches the build only after resolve --update', async () => {
    const sidecar = `${upstream.host}/tools/sidecar:2.0`;
    const carried = async () => {
      const built = await dockyard(['build', '--project', 'apps/demo'], env, workspace);
      expect(built.exitCode, built.stderr).toBe(0);
      const record = JSON.parse(await readFile(join(workspace, 'dist', 'demo', '1.0.0', 'build.json'), 'utf8')) as {
        arches: { images: { ref: string; digest: string }[] }[];
      };
      return record.arches.map((a) => a.images.find((i) => i.ref === sidecar)?.digest);
    };
    const moved = await pushMultiArch(upstream, 'tools/sidecar', '2.0');
    expect(await carried()).toEqual(ARCHES.map((arch) => digests.sidecar![arch]));
    const check = await dockyard(['resolve', 'apps/demo', '--check'], env, workspace);
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(new RegExp(`~ image ${sidecar}: sha256:[0-9a-f]{64} → sha256:[0-9a-f]{64}`));
    expect((await dockyard(['resolve', 'apps/demo', '--update'], env, workspace)).exitCode).toBe(0);
    expect(await carried()).toEqual(ARCHES.map((arch) => moved[arch]));
  });

  it('fails with the tail of init.log when init.sh fails, and keeps the previous good build', async () => {
    const dist = join(workspace, 'dist', 'demo');
    const before = await readFile(join(dist, '1.0.0', 'build.json'), 'utf8');
    const broken = await dockyard(
      ['build', '--project', 'apps/demo'],
      { ...env, APP_MIRROR: `${env.APP_MIRROR}/missing` },
      workspace,
    );
    expect(broken.exitCode).toBe(1);
    const named =
      /init\.sh amd64 demo 1\.0\.0 exited with 22; the last lines of (.*amd64\/init\.log):\n {2}\| curl: \(22\)/.exec(
        broken.stderr,
      );
    expect(named, broken.stderr).not.toBeNull();
    expect(await readFile(resolve(workspace, named![1]!), 'utf8')).toContain('curl: (22)');
    expect(await readFile(join(dist, '1.0.0', 'build.json'), 'utf8')).toBe(before);
    expect(await readFile(join(dist, '1.0.0', 'index.json'), 'utf8')).toContain('1.0.0-arm64');
    expect((await readdir(dist)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
