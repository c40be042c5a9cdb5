import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockyard } from '../support/cli';
import { cachedMembers, READ_TOKEN, startCacheServer, WRITE_TOKEN } from '../support/nx-cache-server';
import { tasksFromCache, tasksRun } from '../support/nx-output';
import { NxWorkspace } from '../support/nx-workspace';
import { pluginYaml, releaseYaml } from '../support/projects';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startS3Server, type RunningS3Server } from '../support/s3-server';
import { fetchBlob } from '../support/test-images';
import { removeTempDir, tempDir } from '../support/tmp';

const PLUGIN_BUNDLE = 'dist/alerts/bundle/compass-plugins-alerts-v0.1.0.tar.gz';
const RELEASE_BUNDLE = 'dist/product/bundle/product-v1.0.0.tar.gz';

interface Described {
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

/**
 * With DOCKYARD_STORE naming a registry repository, Nx's remote cache (the `dockyard ci cache-server` over S3) keeps
 * only each bundle's inventory and descriptor; the archives live in the shared store by digest. A second machine gets
 * remote hits that restore two small files per bundle, and what reads a bundle there (publish, a Release carrying a
 * plugin) fetches the archive by digest from the shared store.
 */
describe('bundles through Nx with a shared store', () => {
  let s3: RunningS3Server;
  let registry: RunningRegistry;
  let server: ResultPromise;
  let url: string;
  let work: string;
  const log: string[] = [];
  const workspaces: NxWorkspace[] = [];

  const files = () => ({
    'plugins/alerts/project.yaml': pluginYaml({ name: 'alerts', port: 8081, slot: 'sidebar.alerts' }),
    'releases/product/project.yaml': `${releaseYaml('product', { plugins: ['alerts'] })}publish:\n  oci:\n    - repository: ${registry.host}/bundles/product\n`,
  });
  const env = (machine: string, token: string) => ({
    DOCKYARD_STORE: `docker://${registry.host}/dockyard/store`,
    XDG_CACHE_HOME: join(work, `${machine}-cache`),
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
  });
  const bundleAll = async (workspace: NxWorkspace, machine: string, token: string) => {
    const run = await workspace.nx(['run-many', '-t', 'bundle', '--output-style=static'], env(machine, token));
    expect(run.exitCode, run.all).toBe(0);
    return run.all;
  };
  const descriptorOf = async (workspace: NxWorkspace, project: string) =>
    JSON.parse(await readFile(workspace.path(`dist/${project}/bundle/descriptor.json`), 'utf8')) as Described;
  const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

  beforeAll(async () => {
    work = await tempDir('nx-bundle-descriptors');
    s3 = await startS3Server(['nx-cache']);
    registry = await startRegistry();
    ({ server, url } = await startCacheServer(s3.endpoint, log));
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
    for (const w of workspaces) await w.dispose();
    await Promise.all([s3?.stop(), registry?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('caches descriptors only; another machine restores them and fetches the archives by digest when they are read', async () => {
    const main = await NxWorkspace.create('descriptors-main', files());
    workspaces.push(main);
    await bundleAll(main, 'main', WRITE_TOKEN);
    const pluginBytes = await readFile(main.path(PLUGIN_BUNDLE));
    const releaseBytes = await readFile(main.path(RELEASE_BUNDLE));
    const described = await descriptorOf(main, 'product');
    expect(described).toMatchObject({ digest: sha256(releaseBytes), size: releaseBytes.length });
    expect(described.annotations['org.opencontainers.image.title']).toBe('product-v1.0.0.tar.gz');
    expect((await descriptorOf(main, 'alerts')).digest).toBe(sha256(pluginBytes));
    // The archives went to the shared store; the Nx cache holds each bundle's inventory and descriptor, no archive.
    const store = { base: registry.url };
    expect((await fetchBlob(store, 'dockyard/store', sha256(releaseBytes)))?.equals(releaseBytes)).toBe(true);
    expect((await fetchBlob(store, 'dockyard/store', sha256(pluginBytes)))?.equals(pluginBytes)).toBe(true);
    const members = await cachedMembers(s3, work);
    expect(members.filter((m) => m.endsWith('descriptor.json')).sort()).toEqual([
      'dist/alerts/bundle/descriptor.json',
      'dist/product/bundle/descriptor.json',
    ]);
    expect(members.filter((m) => m.endsWith('.tar.gz'))).toEqual([]);

    const clone = await NxWorkspace.create('descriptors-clone', files());
    workspaces.push(clone);
    const restored = await bundleAll(clone, 'clone', READ_TOKEN);
    expect(restored.match(/\[remote cache\]/g)).toHaveLength(2);
    expect((await readdir(clone.path('dist/product/bundle'))).sort()).toEqual(['descriptor.json', 'inventory.json']);
    expect((await readdir(clone.path('dist/alerts/bundle'))).sort()).toEqual(['descriptor.json', 'inventory.json']);

    // publish reads the Release's bundle: fetched by digest from the shared store, then pushed as an artifact.
    const published = await dockyard(['publish', 'releases/product'], env('clone', READ_TOKEN), clone.root);
    expect(published.exitCode, published.stderr).toBe(0);
    expect((await readFile(clone.path(RELEASE_BUNDLE))).equals(releaseBytes)).toBe(true);

    // A new release version runs the Release's bundle, which carries the plugin bundle Nx restored as a descriptor.
    await clone.write(
      'releases/product/project.yaml',
      files()['releases/product/project.yaml'].replace('version: v1.0.0', 'version: v1.0.1'),
    );
    const next = await clone.nx(['run', 'product:bundle', '--output-style=static'], env('clone', READ_TOKEN));
    expect(next.exitCode, next.all).toBe(0);
    expect(tasksRun(next.all)).toContain('product:bundle');
    expect(tasksFromCache(next.all)).toContain('alerts:bundle');
    expect((await readFile(clone.path(PLUGIN_BUNDLE))).equals(pluginBytes)).toBe(true);
    const carried = await execa(
      'tar',
      [
        '-xzOf',
        clone.path('dist/product/bundle/product-v1.0.1.tar.gz'),
        'product-v1.0.1/plugins/compass-plugins-alerts-v0.1.0.tar.gz',
      ],
      { encoding: 'buffer' },
    );
    expect(Buffer.from(carried.stdout).equals(pluginBytes)).toBe(true);
  });
});
