import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { dockyard } from '../support/cli';
import { commitAndTag, makeRepo } from '../support/git-repos';
import { startHelmRepo, type HelmRepoServer } from '../support/helm-repo-server';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { seedImages, type SeededImages } from '../support/seed';
import { pushImage } from '../support/test-images';
import { removeTempDir, tempDir } from '../support/tmp';
import { cloneWorkspace, releaseWorkspace } from '../bundle/workspace';

const run = promisify(execFile);

interface CdxComponent {
  name: string;
  version?: string;
  type: string;
  hashes?: { alg: string; content: string }[];
  externalReferences?: { type: string; url: string }[];
  properties?: { name: string; value: string }[];
}

/**
 * A release bundled by the CLI from a real git repository, a Helm repository and a real registry: its SBOM, and (in
 * the tests below) its signature and provenance, checked the way an install site checks them.
 */
describe('signed, described releases', () => {
  let registry: RunningRegistry;
  let helm: HelmRepoServer;
  let seeded: SeededImages;
  let work: string;
  let ws: string;
  let tools: { work: string; bare: string };
  let toolsCommit: string;
  const bundleFile = () => join(ws, 'dist', 'shop', 'bundle', 'shop-v1.0.0.tar.gz');
  const env = () => ({ DOCKYARD_STORE: join(work, 'store') });

  async function member(file: string, path: string): Promise<Buffer> {
    const { stdout } = await run('tar', ['-xzOf', file, path], { encoding: 'buffer', maxBuffer: 1 << 26 });
    return stdout as unknown as Buffer;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    seeded = await seedImages(registry.url);
    await pushImage({ base: registry.url }, 'app/web', '1.0.0', seeded.single);
    work = await tempDir('attest');
    const repos = join(work, 'repos');
    await mkdir(repos);
    tools = await makeRepo(repos, 'tools');
    toolsCommit = await commitAndTag(tools.work, { 'deploy/tools.yaml': 'kind: ConfigMap\n' }, 'v0.2.0');
    helm = await startHelmRepo(join(work, 'helm-src'), [{ name: 'web', version: '1.0.0', image: 'app/web' }]);
    ws = join(work, 'ws');
    await releaseWorkspace(
      ws,
      {
        name: 'shop',
        version: 'v1.0.0',
        components: [
          { name: 'tools', git: { url: tools.bare }, tag: { policy: 'semver', range: '^0.2.0' }, targetPath: 'tools' },
          { name: 'web', helm: { repo: helm.url, chart: 'web', version: '1.x' }, targetPath: 'charts' },
        ],
        images: { extra: ['app/multi:v1'] },
        sync: { from: { registry: registry.host }, to: [{ registry: registry.host }] },
        bundle: { files: [{ from: 'install.sh', mode: '0755' }] },
      },
      { 'install.sh': '#!/bin/sh\necho install\n' },
    );
    const made = await dockyard(['bundle', join(ws, 'releases', 'shop')], env());
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
  });
  afterAll(async () => {
    await registry?.stop();
    await helm?.stop();
    if (work) await removeTempDir(work);
  });

  it('carries sbom.cdx.json beside inventory.json: valid CycloneDX 1.6, every image, source and file, in sha256sums.txt', async () => {
    const text = (await member(bundleFile(), 'shop-v1.0.0/sbom.cdx.json')).toString();
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull();
    const sbom = JSON.parse(text) as { metadata: { component: CdxComponent }; components: CdxComponent[] };
    expect(sbom.metadata.component).toMatchObject({ name: 'shop-v1.0.0', version: 'v1.0.0' });
    const inventory = JSON.parse((await member(bundleFile(), 'shop-v1.0.0/inventory.json')).toString()) as {
      images: { name: string; digest: string; platforms: string[] }[];
    };
    expect(inventory.images.map((i) => i.name)).toEqual(['app/multi:v1', 'app/web:1.0.0']);
    for (const image of inventory.images) {
      const [repository, tag] = image.name.split(':');
      const listed = sbom.components.find((c) => c.type === 'container' && c.name === repository && c.version === tag);
      expect(listed?.hashes).toEqual([{ alg: 'SHA-256', content: image.digest.slice(7) }]);
      const platforms = listed!.properties!.filter((p) => p.name === 'dockyard:image:platform').map((p) => p.value);
      expect(platforms).toEqual(image.platforms);
    }
    expect(inventory.images[0]!.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    const git = sbom.components.find((c) => c.name === 'tools')!;
    expect(git.version).toBe('v0.2.0');
    expect(git.externalReferences).toEqual([expect.objectContaining({ type: 'vcs', url: tools.bare })]);
    expect(git.properties).toContainEqual({ name: 'dockyard:git:commit', value: toolsCommit });
    const chart = sbom.components.find((c) => c.name === 'web' && c.type === 'application')!;
    expect(chart.version).toBe('1.0.0');
    expect(chart.externalReferences![0]!.url).toBe(`${helm.url}/web-1.0.0.tgz`);
    const chartBytes = await readFile(join(work, 'helm-src', 'web-1.0.0.tgz'));
    const { createHash } = await import('node:crypto');
    expect(chart.hashes).toEqual([{ alg: 'SHA-256', content: createHash('sha256').update(chartBytes).digest('hex') }]);
    const install = sbom.components.find((c) => c.name === 'install.sh')!;
    expect(install.hashes![0]!.content).toBe(createHash('sha256').update('#!/bin/sh\necho install\n').digest('hex'));
    const sums = (await member(bundleFile(), 'shop-v1.0.0/sha256sums.txt')).toString();
    expect(sums).toContain(`${createHash('sha256').update(text).digest('hex')}  sbom.cdx.json\n`);
  });

  it('gives byte-identical SBOMs (and bundles) from two clones', async () => {
    const clone = join(work, 'clone');
    await cloneWorkspace(ws, clone);
    const made = await dockyard(['bundle', join(clone, 'releases', 'shop')], { DOCKYARD_STORE: join(work, 'store-2') });
    expect(made.exitCode, made.stderr).toBe(0);
    const other = join(clone, 'dist', 'shop', 'bundle', 'shop-v1.0.0.tar.gz');
    expect(
      (await member(other, 'shop-v1.0.0/sbom.cdx.json')).equals(
        await member(bundleFile(), 'shop-v1.0.0/sbom.cdx.json'),
      ),
    ).toBe(true);
    expect((await readFile(other)).equals(await readFile(bundleFile()))).toBe(true);
  });
});
