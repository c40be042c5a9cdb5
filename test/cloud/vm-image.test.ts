import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentStore } from '@dockyard/oci';
import {
  bootCheckVmImage,
  buildVmImage,
  checkVmImage,
  copyPartitionOut,
  GuestFilesystem,
  prepareBaseImages,
  readPartitionTable,
  sha256OfFile,
  unpackedBaseImage,
  type BuildVmImageRequest,
  type PreparedBaseImage,
} from '@dockyard/vm-image';
import { CLOUD_VERSION, everythingPath, serveCloudMirror } from '../support/cloud-mirror';
import { writeRpmRepository } from '../support/rpm-repository';
import type { StaticServer } from '../support/static-http-server';
import { ensureTools } from '../support/require-tool';
import { tempDirFor } from '../support/tmp';
import { BASE_ROOT_UUID, writeVmRepositoryTree } from '../support/vm-base-image';

const run = promisify(execFile);
const VERSION = CLOUD_VERSION;
const EPOCH = 1700000000;
const PACKAGES = ['oe-tools'];
const MiB = 1 << 20;

let work = '';
let server: StaticServer;

beforeAll(async () => {
  work = await tempDirFor(afterAll, 'cloud-vm');
  server = await serveCloudMirror(join(work, 'mirror'), ['x86_64', 'aarch64']);
});
afterAll(() => server?.stop());

const prepare = (storeDir: string, arches: ('amd64' | 'arm64')[] = ['amd64']) =>
  prepareBaseImages({
    repo: server.url,
    versions: [VERSION],
    arches,
    projectDir: work,
    store: new ContentStore(join(work, storeDir)),
  });

describe('prepare', () => {
  it('stores each base image under its .sha256sum digest, fetches it once, and resumes a cut download', async () => {
    server.cutNextDownload('-aarch64.qcow2.xz', 300_000);
    await expect(prepare('store-p', ['arm64'])).rejects.toThrow();
    const [arm] = await prepare('store-p', ['arm64']);
    // What reached the disk before the cut (the last write may be lost with the connection) is not fetched again.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.requests.at(-1)!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    const listed = (
      await readFile(
        join(
          work,
          'mirror',
          `openEuler-${VERSION}/virtual_machine_img/aarch64/openEuler-${VERSION}-aarch64.qcow2.xz.sha256sum`,
        ),
        'utf8',
      )
    ).split(' ')[0];
    expect(arm).toMatchObject({ arch: 'arm64', digest: `sha256:${listed}`, fetched: true });
    expect(await sha256OfFile(arm!.path)).toBe(listed);
    const [again] = await prepare('store-p', ['arm64']);
    expect(again!.fetched).toBe(false);
  });

  it('refuses an image whose bytes do not match its .sha256sum, storing nothing', async () => {
    const bad = join(work, 'bad-mirror');
    await writeVmRepositoryTree(bad, VERSION, ['x86_64']);
    const sum = join(
      bad,
      `openEuler-${VERSION}/virtual_machine_img/x86_64/openEuler-${VERSION}-x86_64.qcow2.xz.sha256sum`,
    );
    await writeFile(sum, `${'0'.repeat(64)}  openEuler-${VERSION}-x86_64.qcow2.xz\n`);
    const store = new ContentStore(join(work, 'store-bad'));
    await expect(
      prepareBaseImages({ repo: bad, versions: [VERSION], arches: ['amd64'], projectDir: work, store }),
    ).rejects.toThrow(/its sha256 is [0-9a-f]{64} but .*sha256sum says 0{64}; nothing was stored/);
    expect(await store.has(`sha256:${'0'.repeat(64)}`)).toBe(false);
  });
});

describe('build', () => {
  let base: PreparedBaseImage;
  const build = (
    storeDir: string,
    outDir: string,
    prepared: PreparedBaseImage,
    packages = PACKAGES,
    more: Partial<BuildVmImageRequest> = {},
  ) =>
    buildVmImage({
      name: 'openeuler-cloud',
      base: prepared,
      store: new ContentStore(join(work, storeDir)),
      repositories: [{ url: `${server.url}${everythingPath('x86_64')}` }],
      packages,
      epoch: EPOCH,
      outDir: join(work, outDir),
      ...more,
    });

  beforeAll(async () => {
    [base] = await prepare('store-a');
  });

  it('installs the rpm list, clears what clouds require, grows the disk, and gives the same bytes from another clone', async () => {
    const sized = { diskSize: 96 * MiB };
    const first = await build('store-a', 'clone-a/dist/openeuler-cloud/22.03-LTS-SP1/amd64', base, PACKAGES, sized);
    const [otherBase] = await prepare('store-b');
    const second = await build(
      'store-b',
      'clone-b/dist/openeuler-cloud/22.03-LTS-SP1/amd64',
      otherBase!,
      PACKAGES,
      sized,
    );

    expect(first.packages).toEqual(['oe-hello-1.0-1.oe2203.noarch', 'oe-tools-2.1-1.oe2203.noarch']);
    expect(await readFile(first.files.rpms, 'utf8')).toBe(
      'oe-hello-1.0-1.oe2203.noarch\noe-tools-2.1-1.oe2203.noarch\n',
    );
    expect(second.sha256).toEqual(first.sha256);
    // The SBOM beside rpms.txt: the base by URL and digest, each rpm by purl; the same bytes from the other clone.
    const sbom = await readFile(first.files.sbom, 'utf8');
    expect(await readFile(second.files.sbom, 'utf8')).toBe(sbom);
    const bom = JSON.parse(sbom);
    expect(bom.components.filter((c: { purl?: string }) => c.purl).map((c: { purl: string }) => c.purl)).toEqual([
      'pkg:rpm/openeuler/oe-hello@1.0-1.oe2203?arch=noarch',
      'pkg:rpm/openeuler/oe-tools@2.1-1.oe2203?arch=noarch',
    ]);
    expect(bom.components.find((c: { type: string }) => c.type === 'file')).toMatchObject({
      externalReferences: [{ url: base.url }],
      hashes: [{ alg: 'SHA-256', content: base.digest.replace(/^sha256:/, '') }],
    });
    expect(await sha256OfFile(second.files.qcow2)).toBe(await sha256OfFile(first.files.qcow2));
    const record = JSON.parse(await readFile(first.files.buildJson, 'utf8'));
    expect(record).toMatchObject({ base: { digest: base.digest }, sourceDateEpoch: EPOCH, requested: PACKAGES });
    expect(record.outputs['openeuler-cloud-22.03-LTS-SP1-amd64.qcow2']).toBe(
      first.sha256['openeuler-cloud-22.03-LTS-SP1-amd64.qcow2'],
    );
    expect(Object.keys(second.sha256).sort()).toEqual([
      'openeuler-cloud-22.03-LTS-SP1-amd64.qcow2',
      'openeuler-cloud-22.03-LTS-SP1-amd64.raw',
      'openeuler-cloud-22.03-LTS-SP1-amd64.wsl.tar.gz',
      'rpms.txt',
    ]);
    const { stdout: listing } = await run('tar', ['-tzf', first.files.wsl]);
    expect(listing.split('\n')).toEqual(expect.arrayContaining(['./etc/os-release', './usr/share/oe-tools/VERSION']));
    expect(listing).not.toContain('ssh_host_');
    const { stdout } = await run('qemu-img', ['info', '--output=json', first.files.qcow2]);
    expect(JSON.parse(stdout)).toMatchObject({ format: 'qcow2', 'virtual-size': 96 * MiB });

    // The base's other partition and the root filesystem's identity are kept: the bootloader and fstab still find it.
    const baseRaw = join(work, 'base.raw');
    await run('qemu-img', [
      'convert',
      '-f',
      'qcow2',
      '-O',
      'raw',
      await unpackedBaseImage(new ContentStore(join(work, 'store-a')), base.digest),
      baseRaw,
    ]);
    const [bootBefore] = (await readPartitionTable(baseRaw)).partitions;
    const [bootAfter, rootAfter] = (await readPartitionTable(first.files.raw)).partitions;
    await copyPartitionOut(baseRaw, bootBefore!, join(work, 'boot-before'));
    await copyPartitionOut(first.files.raw, bootAfter!, join(work, 'boot-after'));
    expect(await sha256OfFile(join(work, 'boot-after'))).toBe(await sha256OfFile(join(work, 'boot-before')));
    await copyPartitionOut(first.files.raw, rootAfter!, join(work, 'root-after'));
    // The 64 MiB base disk grew to 96 MiB: the root partition ends at the disk's last MiB and its filesystem fills it.
    expect((await stat(first.files.raw)).size).toBe(96 * MiB);
    expect(rootAfter!.offset + rootAfter!.size).toBe(96 * MiB);
    expect(record).toMatchObject({ diskSize: 96 * MiB, rootFilesystem: { size: rootAfter!.size } });
    const { stdout: dump } = await run('dumpe2fs', ['-h', join(work, 'root-after')]);
    expect(dump).toMatch(new RegExp(`Filesystem UUID:\\s+${BASE_ROOT_UUID}`));
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(dump)?.[1]);
    expect(field('Block count') * field('Block size')).toBe(rootAfter!.size);
    await run('e2fsck', ['-fn', join(work, 'root-after')]);
    const guest = new GuestFilesystem(join(work, 'root-after'));
    expect(await guest.read('/usr/share/oe-tools/VERSION')).toBe('oe-tools 2.1\n');
  });

  it("check passes on the built image and fails, naming what, on one that kept the build machine's identity", async () => {
    const built = await build('store-a', 'check/dist/amd64', base);
    const cases = await checkVmImage({
      raw: built.files.raw,
      version: VERSION,
      packages: PACKAGES,
      suite: 's',
      workDir: join(work, 'check-ok'),
    });
    expect(cases.filter((c) => c.failure)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(8);

    // The unbuilt base: a machine-id, host keys, a root password, no cloud-init, no rpms.
    const baseRaw = join(work, 'base-check.raw');
    await run('qemu-img', [
      'convert',
      '-f',
      'qcow2',
      '-O',
      'raw',
      await unpackedBaseImage(new ContentStore(join(work, 'store-a')), base.digest),
      baseRaw,
    ]);
    const failed = await checkVmImage({
      raw: baseRaw,
      version: VERSION,
      packages: PACKAGES,
      suite: 's',
      workDir: join(work, 'check-bad'),
    });
    const failures = Object.fromEntries(failed.filter((c) => c.failure).map((c) => [c.name, c.failure]));
    expect(failures).toMatchObject({
      'every rpm of the list is installed': expect.stringContaining('rpmdb.sqlite is not there'),
      '/etc/machine-id is empty (regenerated at first boot)': expect.stringContaining('8f3b1c2d'),
      'no ssh host key from the build': expect.stringContaining('ssh_host_ed25519_key'),
      'the root password is locked': 'root has a usable password',
      'sshd allows neither root nor passwords': expect.stringContaining('PermitRootLogin yes'),
      'no caches, logs or random seed': expect.stringContaining('/var/log/messages'),
    });
    expect(failures['/etc/os-release names the version']).toBeUndefined();
  });

  it('boots the image under TCG: cloud-init runs the user-data, os-release and a new machine-id on the console', async () => {
    await ensureTools(['mformat', 'qemu-system-x86_64']);
    const built = await build('store-a', 'boot/dist/amd64', base);
    const cases = await bootCheckVmImage({
      raw: built.files.raw,
      arch: 'amd64',
      version: VERSION,
      suite: 's',
      workDir: join(work, 'boot-ok'),
    });
    expect(cases.filter((c) => c.failure)).toEqual([]);
    expect(cases).toHaveLength(3);

    // cloud-init configured without a NoCloud datasource does not run the user-data: the check says so, with the console.
    const broken = await buildVmImage({
      name: 'openeuler-cloud',
      base,
      store: new ContentStore(join(work, 'store-a')),
      repositories: [{ url: `${server.url}${everythingPath('x86_64')}` }],
      packages: PACKAGES,
      cloudConfig: 'datasource_list: [Ec2]\n',
      epoch: EPOCH,
      outDir: join(work, 'boot-broken/dist/amd64'),
    });
    const failed = await bootCheckVmImage({
      raw: broken.files.raw,
      arch: 'amd64',
      version: VERSION,
      suite: 's',
      workDir: join(work, 'boot-bad'),
    });
    expect(failed[0]!.failure).toMatch(
      /the guest stopped without running the user-data \(cloud-init did not run it\); the console's tail:/,
    );
  });

  it('boots the arm64 image under TCG on the virt machine, the same facts on the console', async () => {
    await ensureTools(['mformat', 'qemu-system-aarch64']);
    const [arm] = await prepare('store-a', ['arm64']);
    const built = await build('store-a', 'boot-arm/dist/arm64', arm!, PACKAGES, {
      repositories: [{ url: `${server.url}${everythingPath('aarch64')}` }],
    });
    const cases = await bootCheckVmImage({
      raw: built.files.raw,
      arch: 'arm64',
      version: VERSION,
      suite: 's',
      workDir: join(work, 'boot-arm'),
    });
    expect(cases.filter((c) => c.failure)).toEqual([]);
    expect(cases).toHaveLength(3);
  });

  it('says how much does not fit in how small a partition when the rpm list outgrows the disk', async () => {
    const big = join(work, 'mirror', 'big');
    await writeRpmRepository(big, [{ name: 'oe-big', version: '1.0', fillMiB: 64 }]);
    const repositories = [{ url: `${server.url}big/` }];
    await expect(build('store-a', 'big/dist/amd64', base, ['oe-big'], { repositories })).rejects.toMatchObject({
      code: 'VM_ROOT_TOO_SMALL',
      message: expect.stringMatching(
        /^the customised root filesystem \(\d+ MiB of files\) does not fit in its 59 MiB partition$/,
      ),
    });
  });

  it('names the package no repository has', async () => {
    await expect(build('store-a', 'missing/dist/amd64', base, ['oe-nonexistent'])).rejects.toThrow(
      /installing oe-nonexistent into the image failed/,
    );
  });
});
