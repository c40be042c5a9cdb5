import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact, listReferrers, SBOM_MEDIA_TYPE } from '@dockyard/attest';
import {
  copyImage,
  CopyScheduler,
  headManifest,
  locationContext,
  openSource,
  openTarget,
  paddingFor,
  parseLocation,
  RegistryPool,
  tarEntryHeader,
} from '@dockyard/oci';
import { openProject } from '@dockyard/project-spec';
import { dockyard } from '../../../../test/support/cli';
import { startRegistry, type RunningRegistry } from '../../../../test/support/registry';
import { buildImage, layerFromTar, pushImage } from '../../../../test/support/test-images';
import { removeTempDir, tempDir } from '../../../../test/support/tmp';
import { PreflightError } from '../shared/preflight';
import { publishProject } from './publish';

const run = promisify(execFile);

const DPKG_STATUS = 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n';

/** An uncompressed layer tar holding a dpkg status file. */
function dpkgLayerTar(): Buffer {
  const content = Buffer.from(DPKG_STATUS);
  return Buffer.concat([
    tarEntryHeader({ path: 'var/lib/dpkg/status', type: 'file', content }),
    content,
    Buffer.alloc(paddingFor(content.length)),
    Buffer.alloc(1024),
  ]);
}

describe('publishing a ContainerImage project with a sign: section (docker-registry 2.8: tag schema fallback)', () => {
  let registry: RunningRegistry;
  let root: string;
  let digest: string;

  beforeAll(async () => {
    registry = await startRegistry();
    root = await tempDir('publish-signed');
    await run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'k.key'], { cwd: root });
    await run('openssl', ['pkey', '-in', 'k.key', '-pubout', '-out', 'k.pub'], { cwd: root });
    await run('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'other.key'], { cwd: root });
    await run('openssl', ['pkey', '-in', 'other.key', '-pubout', '-out', 'other.pub'], { cwd: root });

    // The "built" image: pushed elsewhere in the registry and copied into the build's OCI layout.
    digest = await pushImage(
      { base: registry.url },
      'src/os',
      'v1',
      buildImage({ layers: [layerFromTar(dpkgLayerTar())] }),
    );
    const context = locationContext(new RegistryPool());
    const layout = join(root, 'dist/os/build/oci');
    await copyImage(
      new CopyScheduler(),
      openSource(parseLocation(`docker://${registry.host}/src/os:v1`), context),
      openTarget(parseLocation(`oci:${layout}:1.0`), context),
    );
    await writeFile(
      join(root, 'dist/os/build/build.json'),
      JSON.stringify({ layout, bases: [], images: [{ name: '1.0', tags: ['1.0'], digest, platforms: [] }] }),
    );
    const dir = join(root, 'releases/containers/os');
    await mkdir(dir, { recursive: true });
    await writeFile(join(root, 'nx.json'), '{}\n');
    await writeFile(
      join(dir, 'project.yaml'),
      [
        'kind: ContainerImage',
        'name: os',
        'arches: [amd64]',
        'app: { meta: meta.yaml }',
        'registries:',
        `  - { registry: "${registry.host}", repository: os/os }`,
        'sign:',
        '  keyEnv: OS_SIGNING_KEY',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await registry?.stop();
    if (root) await removeTempDir(root);
  });

  const project = () => openProject(join(root, 'releases/containers/os/project.yaml'), root, ['ContainerImage']);

  it('refuses before any push when the key variable is not set, naming project.yaml and the variable', async () => {
    const error = await publishProject(await project(), { env: {} }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as Error).message).toMatch(
      /project.yaml:8:\d+: sign.keyEnv: the environment variable OS_SIGNING_KEY \(the signing key\) is not set; nothing was pushed/,
    );
    const conn = await new RegistryPool().connect(registry.host);
    expect(await headManifest(conn, 'os/os', '1.0')).toBeUndefined();
  });

  it('signs the pushed digest with its SBOM listing the image’s packages; verify passes with the key, fails with another', async () => {
    const key = await readFile(join(root, 'k.key'), 'utf8');
    const result = await publishProject(await project(), { env: { OS_SIGNING_KEY: key } });
    expect(result.outcomes[0]!.status).toBe('published');
    expect(result.outcomes[0]!.signed!.map((s) => s.digest)).toEqual([digest]);
    expect(result.outcomes[0]!.signed![0]!.signature.path).toBe('tag-schema');

    const conn = await new RegistryPool().connect(registry.host);
    const { referrers } = await listReferrers(conn, 'os/os', digest, SBOM_MEDIA_TYPE);
    const sbom = JSON.parse((await fetchArtifact(conn, 'os/os', referrers[0]!.digest)).toString('utf8'));
    expect(sbom.components.map((c: { purl: string }) => c.purl)).toContain('pkg:deb/debian/libc6@2.36-9?arch=amd64');

    const image = `docker://${registry.host}/os/os:1.0`;
    const verified = await dockyard(['verify', '--key', join(root, 'k.pub'), image]);
    expect(verified.stderr).toBe('');
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toContain('signature OK');
    const other = await dockyard(['verify', '--key', join(root, 'other.pub'), image]);
    expect(other.exitCode).not.toBe(0);
  });
});
