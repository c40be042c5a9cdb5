import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockyard } from '../support/cli';
import { startDockerEngine } from '../support/docker';
import { cachedMembers, READ_TOKEN, startCacheServer, WRITE_TOKEN } from '../support/nx-cache-server';
import { tasksFromCache, tasksFromRemoteCache, tasksRun } from '../support/nx-output';
import { NxWorkspace } from '../support/nx-workspace';
import { appImageLayout, appImageYaml, releaseYaml } from '../support/projects';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { startS3Server, type RunningS3Server } from '../support/s3-server';
import { fetchBlob } from '../support/test-images';
import { removeTempDir, tempDir } from '../support/tmp';
import { writeRepositoryTree } from '../support/openeuler-repository';
import { serveFolder, type StaticServer } from '../support/static-http-server';
import { exampleWorkspace } from '../container/workspace';

const LAYOUT = 'dist/web/1.25.3';
const CONTAINER = 'releases/containers/openeuler';

/**
 * With DOCKYARD_STORE naming a registry repository, an AppImage build keeps every blob of its OCI layout in the
 * shared store and Nx's remote cache keeps only the layout's small files. On a second machine the build is a remote
 * hit without blobs; what reads the layout there (the AppImage's push, a Release's bundle carrying it) fetches each
 * missing blob by digest from the shared store. The same for a ContainerImage's build, its check (in a real Docker
 * engine) and its publish.
 */
describe('AppImage layouts through Nx with a shared store', () => {
  let s3: RunningS3Server;
  let registry: RunningRegistry;
  let server: ResultPromise;
  let url: string;
  let work: string;
  let repository: StaticServer;
  const log: string[] = [];
  const workspaces: NxWorkspace[] = [];

  const files = () => ({
    'releases/product/project.yaml': releaseYaml('product', { appImages: ['web'] }),
    'apps/web/project.yaml': appImageYaml('web').replace('docker.io/labring/web', `${registry.host}/apps/web`),
    ...appImageLayout('apps/web'),
  });
  const env = (machine: string, token: string) => ({
    DOCKYARD_STORE: `docker://${registry.host}/dockyard/store`,
    XDG_CACHE_HOME: join(work, `${machine}-cache`),
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
    NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
  });
  const bundle = async (workspace: NxWorkspace, machine: string, token: string) => {
    const run = await workspace.nx(['run', 'product:bundle', '--output-style=static'], env(machine, token));
    expect(run.exitCode, run.all).toBe(0);
    return run.all;
  };
  const blobsIn = (workspace: NxWorkspace) =>
    readdir(workspace.path(`${LAYOUT}/blobs/sha256`)).then(
      (names) => names.sort(),
      () => [],
    );

  beforeAll(async () => {
    work = await tempDir('nx-layout-descriptors');
    s3 = await startS3Server(['nx-cache']);
    registry = await startRegistry();
    ({ server, url } = await startCacheServer(s3.endpoint, log));
    for (const version of ['22.03-LTS-SP1', '24.03-LTS'])
      await writeRepositoryTree(join(work, 'oe-repo'), { version, arches: ['amd64'] });
    repository = await serveFolder(join(work, 'oe-repo'));
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
    for (const w of workspaces) await w.dispose();
    await Promise.all([s3?.stop(), registry?.stop(), repository?.stop()]);
    if (work) await removeTempDir(work);
  });

  it('caches the layout without blobs; another machine pushes it and bundles it with blobs from the shared store', async () => {
    const main = await NxWorkspace.create('layouts-main', files());
    workspaces.push(main);
    await bundle(main, 'main', WRITE_TOKEN);
    const blobs = await blobsIn(main);
    expect(blobs.length).toBeGreaterThanOrEqual(4); // index, manifest, config, layer
    const store = { base: registry.url };
    for (const hex of blobs) {
      const bytes = await readFile(main.path(`${LAYOUT}/blobs/sha256/${hex}`));
      expect((await fetchBlob(store, 'dockyard/store', `sha256:${hex}`))?.equals(bytes), hex).toBe(true);
      // One file with the local store's blob: the layout costs no second copy.
      expect((await stat(main.path(`${LAYOUT}/blobs/sha256/${hex}`))).nlink).toBeGreaterThanOrEqual(2);
    }
    const members = await cachedMembers(s3, work);
    expect(members).toEqual(expect.arrayContaining([`${LAYOUT}/index.json`, `${LAYOUT}/build.json`]));
    expect(members.filter((m) => m.includes('/blobs/'))).toEqual([]);

    const clone = await NxWorkspace.create('layouts-clone', files());
    workspaces.push(clone);
    const restored = await bundle(clone, 'clone', READ_TOKEN);
    expect(tasksFromRemoteCache(restored)).toEqual(['product:bundle', 'web:build']);
    expect(await blobsIn(clone)).toEqual([]);

    // The AppImage's push reads its layout: the blobs come from the shared store by digest.
    const pushed = await dockyard(['build', 'apps/web', '--push'], env('clone', READ_TOKEN), clone.root);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    expect(await blobsIn(clone)).toEqual(blobs);

    // As restored again, and with nothing in this machine's local store: a new Release version carries the build.
    await rm(clone.path(`${LAYOUT}/blobs`), { recursive: true });
    await rm(join(work, 'clone-cache'), { recursive: true });
    await clone.write(
      'releases/product/project.yaml',
      files()['releases/product/project.yaml'].replace('version: v1.0.0', 'version: v1.0.1'),
    );
    const next = await bundle(clone, 'clone', READ_TOKEN);
    expect(tasksRun(next)).toContain('product:bundle');
    expect(tasksFromCache(next)).toContain('web:build');
    const listing = (await execa('tar', ['-tzf', clone.path('dist/product/bundle/product-v1.0.1.tar.gz')])).stdout
      .split('\n')
      .filter((m) => m.startsWith('product-v1.0.1/apps/web/1.25.3/blobs/sha256/') && !m.endsWith('/'))
      .map((m) => m.split('/').at(-1))
      .sort();
    expect(listing).toEqual(blobs);
  });

  it('says which blob of which layout no store holds, and what to run', async () => {
    const clone = workspaces[1]!;
    await rm(clone.path(`${LAYOUT}/blobs`), { recursive: true });
    const elsewhere = { ...env('clone', READ_TOKEN), DOCKYARD_STORE: `docker://${registry.host}/dockyard/other` };
    await rm(join(work, 'clone-cache'), { recursive: true, force: true });
    const pushed = await dockyard(['build', 'apps/web', '--push'], elsewhere, clone.root);
    expect(pushed.exitCode).not.toBe(0);
    expect(pushed.stderr).toContain(`${clone.path(LAYOUT)}/index.json reaches blob sha256:`);
    expect(pushed.stderr).toContain('nx run web:build --skip-nx-cache, or dockyard build web');
  });

  it('caches a ContainerImage build without blobs; another machine checks and publishes it with blobs from the shared store', async () => {
    // The example's two versions, one arch, no RUN: built daemonless from the repository's rootfs archives.
    const containerWorkspace = async (name: string) => {
      const workspace = await NxWorkspace.create(name, {
        [`${CONTAINER}/Dockerfile`]:
          'FROM scratch\nARG TARGETARCH\nADD openEuler-docker-rootfs.$TARGETARCH.tar.xz /\nCMD ["bash"]\n',
      });
      workspaces.push(workspace);
      await exampleWorkspace(workspace.root, {
        repo: repository.url,
        registries: [{ registry: registry.host, repository: 'openeuler/openeuler' }],
        dockerfile: 'Dockerfile',
        arches: ['amd64'],
        // The fixture rootfs keeps openEuler's Asia/Shanghai time.
        check: { timezone: 'CST' },
      });
      return workspace;
    };
    const build = async (workspace: NxWorkspace, machine: string, token: string) => {
      const run = await workspace.nx(['run', 'openeuler:build', '--output-style=static'], env(machine, token));
      expect(run.exitCode, run.all).toBe(0);
      return run.all;
    };
    const main = await containerWorkspace('oe-layouts-main');
    await build(main, 'main', WRITE_TOKEN);
    const built = JSON.parse(await readFile(main.path('dist/openeuler/build/build.json'), 'utf8')) as {
      images: { digest: string; tags: string[] }[];
    };
    const members = await cachedMembers(s3, work);
    expect(members).toContain('dist/openeuler/build/oci/index.json');
    expect(members.filter((m) => m.includes('/blobs/'))).toEqual([]);

    const clone = await containerWorkspace('oe-layouts-clone');
    expect(tasksFromRemoteCache(await build(clone, 'oe-clone', READ_TOKEN))).toEqual(['openeuler:build']);
    expect(await readdir(clone.path('dist/openeuler/build/oci'))).not.toContain('blobs');
    const engine = await startDockerEngine();
    try {
      const checked = await dockyard(
        ['check', CONTAINER],
        { ...env('oe-clone', READ_TOKEN), DOCKER_HOST: engine.host },
        clone.root,
      );
      expect(checked.exitCode, checked.stderr).toBe(0);
    } finally {
      await engine.stop();
    }
    expect(await readdir(clone.path('dist/openeuler/build/oci'))).toContain('blobs');

    // As restored again, and with nothing in this machine's local store.
    await rm(clone.path('dist/openeuler/build/oci/blobs'), { recursive: true });
    await rm(join(work, 'oe-clone-cache'), { recursive: true });
    const published = await dockyard(['publish', CONTAINER], env('oe-clone', READ_TOKEN), clone.root);
    expect(published.exitCode, published.stderr).toBe(0);
    const [image] = built.images;
    const pushed = await fetch(`${registry.url}/v2/openeuler/openeuler/manifests/${image!.tags[0]}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(pushed.headers.get('docker-content-digest')).toBe(image!.digest);
  });
});
