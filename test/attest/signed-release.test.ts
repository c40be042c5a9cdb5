import { execFile } from 'node:child_process';
import { copyFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { dockyard } from '../support/cli';
import { commitAndTag, makeRepo } from '../support/git-repos';
import { startHelmRepo, type HelmRepoServer } from '../support/helm-repo-server';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { seedImages, type SeededImages } from '../support/seed';
import { fetchManifest, pushImage, pushManifest } from '../support/test-images';
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

  async function openssl(...args: string[]): Promise<void> {
    await run('openssl', args, { cwd: work });
  }

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
        sign: { keyEnv: 'SHOP_SIGNING_KEY' },
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

  describe('signed with a key pair, verified offline', () => {
    let signingPem: string;
    beforeAll(async () => {
      await openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.key');
      await openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'ec.key', '-out', 'release.key');
      await openssl('pkey', '-in', 'release.key', '-pubout', '-out', 'release.pub');
      await openssl('genpkey', '-algorithm', 'ed25519', '-out', 'other.key');
      await openssl('pkey', '-in', 'other.key', '-pubout', '-out', 'other.pub');
      signingPem = await readFile(join(work, 'release.key'), 'utf8');
    });

    it('dockyard sign PROJECT uses the key its sign: section names, and never prints it', async () => {
      const unset = await dockyard(['sign', join(ws, 'releases', 'shop')]);
      expect(unset.exitCode).toBe(1);
      expect(unset.stderr).toContain('the environment variable SHOP_SIGNING_KEY (sign.keyEnv of');
      const signed = await dockyard(['sign', join(ws, 'releases', 'shop')], { SHOP_SIGNING_KEY: signingPem });
      expect(signed.stderr).toBe('');
      expect(signed.exitCode).toBe(0);
      expect(signed.stdout).toMatch(
        /^signed .*shop-v1\.0\.0\.tar\.gz \(sha256 [0-9a-f]{64}\) with ecdsa-p256 key [0-9a-f]{16}: /,
      );
      const body = signingPem.split('\n')[1]!;
      expect(signed.stdout + signed.stderr).not.toContain(body);
      const signature = JSON.parse(await readFile(`${bundleFile()}.sigstore.json`, 'utf8'));
      expect(signature.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(JSON.stringify(signature)).not.toContain(body);
      const statement = JSON.parse(Buffer.from(signature.dsseEnvelope.payload, 'base64').toString());
      expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    });

    it('dockyard verify checks it with the public key and prints the provenance: builder, project, tags, charts, digests', async () => {
      const verified = await dockyard(['verify', '--key', join(work, 'release.pub'), bundleFile()]);
      expect(verified.stderr).toBe('');
      expect(verified.exitCode).toBe(0);
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256')
        .update(await readFile(bundleFile()))
        .digest('hex');
      expect(verified.stdout).toContain(`signature OK (key `);
      expect(verified.stdout).toContain(`sha256 ${sha})`);
      expect(verified.stdout).toMatch(/provenance: built by dockyard \d+\.\d+\.\d+/);
      const projectYaml = await readFile(join(ws, 'releases', 'shop', 'project.yaml'));
      expect(verified.stdout).toContain(
        `  releases/shop/project.yaml sha256:${createHash('sha256').update(projectYaml).digest('hex')}`,
      );
      expect(verified.stdout).toContain(`  tools git+${tools.bare}@refs/tags/v0.2.0 gitCommit:${toolsCommit}`);
      expect(verified.stdout).toContain(`  web ${helm.url}/web-1.0.0.tgz sha256:`);
      expect(verified.stdout).toContain(`  app/multi:v1 pkg:oci/multi@${seeded.index.digest}`);
    });

    it('refuses a signature by another key, a flipped byte and a missing signature, each naming the file', async () => {
      const other = await dockyard(['verify', '--key', join(work, 'other.pub'), bundleFile()]);
      expect(other.exitCode).toBe(1);
      expect(other.stderr).toContain(`${bundleFile()} was not signed with ${join(work, 'other.pub')}`);

      const flipped = join(work, 'flipped.tar.gz');
      await copyFile(bundleFile(), flipped);
      await copyFile(`${bundleFile()}.sigstore.json`, `${flipped}.sigstore.json`);
      const handle = await open(flipped, 'r+');
      const at = 4096;
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, at);
      one[0] = one[0]! ^ 0x01;
      await handle.write(one, 0, 1, at);
      await handle.close();
      const changed = await dockyard(['verify', '--key', join(work, 'release.pub'), flipped]);
      expect(changed.exitCode).toBe(1);
      expect(changed.stderr).toContain(`${flipped} is not what was signed: its sha256 is`);

      await rm(`${flipped}.sigstore.json`);
      const unsigned = await dockyard(['verify', '--key', join(work, 'release.pub'), flipped]);
      expect(unsigned.exitCode).toBe(1);
      expect(unsigned.stderr).toContain(`${flipped} is not signed: there is no flipped.tar.gz.sigstore.json beside it`);
    });

    it('bundle push --require-signature pushes a correctly signed bundle and nothing of one that is not', async () => {
      const unsigned = join(work, 'unsigned.tar.gz');
      await copyFile(bundleFile(), unsigned);
      const refusedUnsigned = await dockyard(
        [
          'bundle',
          'push',
          unsigned,
          '--to',
          `${registry.host}/site-a`,
          '--require-signature',
          '--key',
          join(work, 'release.pub'),
        ],
        env(),
      );
      expect(refusedUnsigned.exitCode).toBe(1);
      expect(refusedUnsigned.stderr).toContain(`${unsigned} is not signed`);
      expect(refusedUnsigned.stderr).toContain('nothing was pushed');
      const refusedKey = await dockyard(
        [
          'bundle',
          'push',
          bundleFile(),
          '--to',
          `${registry.host}/site-a`,
          '--require-signature',
          '--key',
          join(work, 'other.pub'),
        ],
        env(),
      );
      expect(refusedKey.exitCode).toBe(1);
      expect(refusedKey.stderr).toContain('was not signed with');
      expect(await fetchManifest({ base: registry.url }, 'site-a/app/multi', 'v1')).toBeUndefined();

      const pushed = await dockyard(
        [
          'bundle',
          'push',
          bundleFile(),
          '--to',
          `${registry.host}/site-a`,
          '--require-signature',
          '--key',
          join(work, 'release.pub'),
        ],
        env(),
      );
      expect(pushed.stderr).toBe('');
      expect(pushed.exitCode).toBe(0);
      expect(pushed.stdout).toContain('signature OK');
      expect((await fetchManifest({ base: registry.url }, 'site-a/app/multi', 'v1'))?.digest).toBe(seeded.index.digest);
    });

    it('dockyard sign FILE --key signs any bundle with an Ed25519 key file', async () => {
      const copy = join(work, 'copy.tar.gz');
      await copyFile(bundleFile(), copy);
      const signed = await dockyard(['sign', copy, '--key', join(work, 'other.key')]);
      expect(signed.exitCode, signed.stderr).toBe(0);
      expect(signed.stdout).toContain('with ed25519 key');
      expect((await dockyard(['verify', '--key', join(work, 'other.pub'), copy])).exitCode).toBe(0);
      expect((await dockyard(['verify', '--key', join(work, 'release.pub'), copy])).exitCode).toBe(1);
    });

    it('signs a pushed image as OCI referrers (the tag schema: docker-registry 2.8 has no referrers API) and verifies it', async () => {
      const image = `docker://${registry.host}/app/multi:v1`;
      const signed = await dockyard(['sign', image, '--key', join(work, 'release.key')]);
      expect(signed.stderr).toBe('');
      expect(signed.exitCode).toBe(0);
      expect(signed.stdout).toContain(`signed ${registry.host}/app/multi:v1 (${seeded.index.digest})`);
      expect(signed.stdout).toMatch(/sbom: sha256:[0-9a-f]{64} \(tag-schema\)/);
      expect(signed.stdout).toMatch(/signature: sha256:[0-9a-f]{64} \(tag-schema\)/);
      const fallback = await fetchManifest(
        { base: registry.url },
        'app/multi',
        `sha256-${seeded.index.digest.slice(7)}`,
      );
      const listed = JSON.parse(fallback!.bytes.toString()) as {
        mediaType: string;
        manifests: { artifactType: string; digest: string }[];
      };
      expect(listed.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(listed.manifests.map((m) => m.artifactType)).toEqual([
        'application/vnd.cyclonedx+json',
        'application/vnd.dev.sigstore.bundle.v0.3+json',
      ]);
      // Signing again with the same key (ECDSA: a new signature each time) keeps the one already there.
      const again = await dockyard(['sign', image, '--key', join(work, 'release.key')]);
      expect(again.exitCode, again.stderr).toBe(0);
      const signatureLine = (out: string) => /signature: sha256:[0-9a-f]{64}/.exec(out)![0];
      expect(signatureLine(again.stdout)).toBe(signatureLine(signed.stdout));
      const relisted = await fetchManifest(
        { base: registry.url },
        'app/multi',
        `sha256-${seeded.index.digest.slice(7)}`,
      );
      expect(JSON.parse(relisted!.bytes.toString()).manifests).toHaveLength(2);
      const sbomManifest = JSON.parse(
        (await fetchManifest({ base: registry.url }, 'app/multi', listed.manifests[0]!.digest))!.bytes.toString(),
      );
      expect(sbomManifest.subject.digest).toBe(seeded.index.digest);
      expect(sbomManifest.artifactType).toBe('application/vnd.cyclonedx+json');

      const verified = await dockyard(['verify', '--key', join(work, 'release.pub'), image]);
      expect(verified.stderr).toBe('');
      expect(verified.exitCode).toBe(0);
      expect(verified.stdout).toContain(
        `${registry.host}/app/multi:v1 (referrers: tag-schema, with an SBOM): signature OK`,
      );
      const other = await dockyard(['verify', '--key', join(work, 'other.pub'), image]);
      expect(other.exitCode).toBe(1);
      expect(other.stderr).toContain(`${registry.host}/app/multi:v1 (${seeded.index.digest}) was not signed with`);
    });

    it('refuses an image whose manifest changed after signing, naming it and its new digest', async () => {
      const image = `docker://${registry.host}/app/single:v1`;
      expect((await dockyard(['sign', image, '--key', join(work, 'release.key')])).exitCode).toBe(0);
      expect((await dockyard(['verify', '--key', join(work, 'release.pub'), image])).exitCode).toBe(0);
      const changed = Buffer.concat([seeded.single.manifest.bytes, Buffer.from(' ')]);
      const { createHash } = await import('node:crypto');
      const digest = `sha256:${createHash('sha256').update(changed).digest('hex')}`;
      await pushManifest({ base: registry.url }, 'app/single', 'v1', {
        bytes: changed,
        digest,
        mediaType: seeded.single.manifest.mediaType,
      });
      const refused = await dockyard(['verify', '--key', join(work, 'release.pub'), image]);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        `${registry.host}/app/single:v1 (${digest}) is not signed: no Sigstore bundle refers to it`,
      );
    });
  });
});
