import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar';
import { indexTar } from '@dockyard/oci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { buildImage, fetchBlob, fetchManifest, pushImage, randomLayer } from '../support/test-images';

const run = promisify(execFile);

async function files(dir: string, content: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(content)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

describe('Release image (build: section)', () => {
  let registry: RunningRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await tempDir('release-image');
  });
  afterAll(async () => {
    await registry?.stop();
    if (work) await removeTempDir(work);
  });

  it('builds the base image plus the collect output, image lists and project files, and pushes it to the build registry', async () => {
    const base = buildImage({ layers: [randomLayer(10_000)], cmd: ['sh'] });
    await pushImage({ base: registry.url }, 'tools/base', '1', base);
    const ws = join(work, 'ws');
    await files(ws, {
      'nx.json': '{}\n',
      'releases/oem/project.yaml': `kind: Release\nname: oem\nversion: v2.7.1\nbuild:\n  image: ${registry.host}/release/oem-release:{version}\n  from: ${registry.host}/tools/base:1\n  files:\n    - { from: "@collect", to: /release/charts/ }\n    - { from: "@images", to: /release/images/ }\n    - { from: install.sh, to: /release/install.sh }\n`,
      'releases/oem/install.sh': '#!/bin/sh\necho install\n',
      'dist/oem/collect/core/app.yaml': 'kind: Deployment\n',
      'dist/oem/images/images.list': 'release/app:v1\n',
    });
    const resolved = await dockyard(['resolve', 'releases/oem'], {}, ws);
    expect(resolved.stdout).toContain(`+ image ${registry.host}/tools/base:1: ${base.manifest.digest}`);
    const run = await dockyard(['build', '--project', 'releases/oem'], { DOCKYARD_STORE: join(work, 'store') }, ws);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const pushed = await fetchManifest({ base: registry.url }, 'release/oem-release', 'v2.7.1');
    const recorded = JSON.parse(
      await readFile(join(ws, 'dist', 'oem', 'release-image', 'release-image.json'), 'utf8'),
    ) as { image: string; digest: string };
    expect(recorded).toEqual({ image: `${registry.host}/release/oem-release:v2.7.1`, digest: pushed!.digest });
    const manifest = JSON.parse(pushed!.bytes.toString()) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    expect(manifest.layers[0]!.digest).toBe(base.layers[0]!.digest);
    const ours = await Promise.all(
      manifest.layers
        .slice(1)
        .map(async (l) =>
          gunzipSync((await fetchBlob({ base: registry.url }, 'release/oem-release', l.digest))!).toString('latin1'),
        ),
    );
    expect(ours[0]).toContain('release/charts/core/app.yaml');
    expect(ours[1]).toContain('release/images/images.list');
    expect(ours[2]).toContain('release/install.sh');
    const config = JSON.parse(
      (await fetchBlob({ base: registry.url }, 'release/oem-release', manifest.config.digest))!.toString(),
    ) as { config: { Cmd: string[]; Labels: Record<string, string> } };
    expect(config.config.Cmd).toEqual(['sh']);
    expect(config.config.Labels['org.opencontainers.image.version']).toBe('v2.7.1');

    // The base tag moves: the next build still starts from the base the lock pins.
    await pushImage(
      { base: registry.url },
      'tools/base',
      '1',
      buildImage({ layers: [randomLayer(10_000)], cmd: ['sh'] }),
    );
    const again = await dockyard(['build', '--project', 'releases/oem'], { DOCKYARD_STORE: join(work, 'store') }, ws);
    expect(again.exitCode, again.stderr).toBe(0);
    const rebuilt = JSON.parse(
      (await fetchManifest({ base: registry.url }, 'release/oem-release', 'v2.7.1'))!.bytes.toString(),
    ) as { layers: { digest: string }[] };
    expect(rebuilt.layers[0]!.digest).toBe(base.layers[0]!.digest);
  });

  it('keeps the last good build in dist/ when the push fails', async () => {
    const target = await startRegistry();
    let stopped = false;
    try {
      await pushImage(
        { base: registry.url },
        'tools/base',
        '2',
        buildImage({ layers: [randomLayer(10_000)], cmd: ['sh'] }),
      );
      const ws = join(work, 'ws-push-fails');
      await files(ws, {
        'nx.json': '{}\n',
        'releases/oem/project.yaml': `kind: Release\nname: oem\nversion: v2.7.1\nbuild:\n  image: ${target.host}/release/oem-release:{version}\n  from: ${registry.host}/tools/base:2\n  files:\n    - { from: install.sh, to: /release/install.sh }\n`,
        'releases/oem/install.sh': '#!/bin/sh\necho install\n',
      });
      const store = { DOCKYARD_STORE: join(work, 'store-push-fails') };
      expect((await dockyard(['resolve', 'releases/oem'], {}, ws)).exitCode).toBe(0);
      const good = await dockyard(['build', '--project', 'releases/oem'], store, ws);
      expect(good.exitCode, good.stderr).toBe(0);
      const record = join(ws, 'dist', 'oem', 'release-image', 'release-image.json');
      const before = await readFile(record, 'utf8');

      // A changed file, so there is something new to push, and a build registry that is gone.
      await files(ws, { 'releases/oem/install.sh': '#!/bin/sh\necho install v2\n' });
      await target.stop();
      stopped = true;
      const failed = await dockyard(['build', '--project', 'releases/oem'], store, ws);
      expect(failed.exitCode).toBe(1);
      expect(await readFile(record, 'utf8')).toBe(before);
      expect(await readFile(join(ws, 'dist', 'oem', 'release-image', 'index.json'), 'utf8')).toContain(
        JSON.parse(before).digest,
      );
    } finally {
      if (!stopped) await target.stop();
    }
  });

  it('with a sign: section, refuses before building when the key is unset, and signs the pushed digest', async () => {
    await pushImage({ base: registry.url }, 'tools/base', '3', buildImage({ layers: [randomLayer(1_000)] }));
    const ws = join(work, 'ws-signed');
    await run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(work, 'release.key')]);
    await run('openssl', ['pkey', '-in', join(work, 'release.key'), '-pubout', '-out', join(work, 'release.pub')]);
    await files(ws, {
      'nx.json': '{}\n',
      'releases/oem/project.yaml': `kind: Release\nname: oem\nversion: v3.0.0\nbuild:\n  image: ${registry.host}/release/signed-oem:{version}\n  from: ${registry.host}/tools/base:3\n  files:\n    - { from: install.sh, to: /release/install.sh }\nsign:\n  keyEnv: RELEASE_KEY\n`,
      'releases/oem/install.sh': '#!/bin/sh\necho install\n',
    });
    const store = { DOCKYARD_STORE: join(work, 'store-signed') };
    expect((await dockyard(['resolve', 'releases/oem'], {}, ws)).exitCode).toBe(0);
    const unset = await dockyard(['build', '--project', 'releases/oem'], store, ws);
    expect(unset.exitCode).toBe(1);
    expect(unset.stderr).toMatch(/project\.yaml:\d+:\d+: sign\.keyEnv: the environment variable RELEASE_KEY/);
    expect(await fetchManifest({ base: registry.url }, 'release/signed-oem', 'v3.0.0')).toBeUndefined();

    const key = await readFile(join(work, 'release.key'), 'utf8');
    const built = await dockyard(['build', '--project', 'releases/oem'], { ...store, RELEASE_KEY: key }, ws);
    expect(built.exitCode, built.stderr).toBe(0);
    expect(built.stdout).toContain(`signed ${registry.host}/release/signed-oem@sha256:`);
    expect(built.stdout).not.toContain('PRIVATE KEY');
    const image = `docker://${registry.host}/release/signed-oem:v3.0.0`;
    const verified = await dockyard(['verify', '--key', join(work, 'release.pub'), image]);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('signature OK');
  });

  it('is what the bundle carries as image/release.tar.gz when the bundle names no other release image', async () => {
    const ws = join(work, 'ws');
    const bundled = await dockyard(
      ['bundle', 'releases/oem'],
      { DOCKYARD_STORE: join(work, 'store'), SOURCE_DATE_EPOCH: '0' },
      ws,
    );
    expect(bundled.stderr).toBe('');
    expect(bundled.exitCode).toBe(0);
    const out = join(work, 'unpacked');
    await mkdir(out, { recursive: true });
    await tar.x({ file: join(ws, 'dist', 'oem', 'bundle', 'oem-v2.7.1.tar.gz'), cwd: out });
    const archive = join(out, 'oem-v2.7.1', 'image', 'release.tar');
    await writeFile(archive, gunzipSync(await readFile(join(out, 'oem-v2.7.1', 'image', 'release.tar.gz'))));
    const members = await indexTar(archive);
    const entry = members.get('manifest.json')!;
    const listed = JSON.parse(
      (await readFile(archive)).subarray(entry.offset, entry.offset + entry.size).toString(),
    ) as { Config: string; RepoTags: string[] }[];
    const pushed = JSON.parse(
      (await fetchManifest({ base: registry.url }, 'release/oem-release', 'v2.7.1'))!.bytes.toString(),
    ) as { config: { digest: string } };
    expect(listed).toEqual([
      expect.objectContaining({
        Config: `${pushed.config.digest.slice('sha256:'.length)}.json`,
        RepoTags: [`${registry.host}/release/oem-release:v2.7.1`],
      }),
    ]);
  });
});
