import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { writeRpmRepository } from '../../../test/support/rpm-repository';
import { ensureTools } from '../../../test/support/require-tool';
import { tempDir, removeTempDir } from '../../../test/support/tmp';
import { parseDpkgStatus, readPackageDatabases } from './package-db';
import { releaseSbom } from './sbom';

const run = promisify(execFile);

const DPKG_STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: removed-tool
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: perl-base
Status: install ok installed
Architecture: amd64
Version: 1:5.36.0-7
`;

describe('parseDpkgStatus', () => {
  it('lists the installed packages, not those removed with their configuration kept', () => {
    expect(parseDpkgStatus(DPKG_STATUS)).toEqual([
      { type: 'deb', name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64' },
      { type: 'deb', name: 'base-files', version: '12.4+deb12u5', arch: 'amd64' },
      { type: 'deb', name: 'perl-base', version: '1:5.36.0-7', arch: 'amd64' },
    ]);
  });
});

describe('readPackageDatabases', () => {
  let root: string;
  beforeAll(async () => {
    await ensureTools(['rpm', 'rpmbuild', 'createrepo_c']);
    root = await tempDir('package-db');
  });
  afterAll(() => removeTempDir(root));

  it('reads a dpkg status file and an sqlite rpm database of a rootfs, sorted, into a valid SBOM', async () => {
    const rootfs = join(root, 'rootfs');
    await mkdir(join(rootfs, 'var/lib/dpkg'), { recursive: true });
    await writeFile(join(rootfs, 'var/lib/dpkg/status'), DPKG_STATUS);
    const repo = join(root, 'repo');
    await writeRpmRepository(repo, [
      { name: 'zeta-tool', version: '2.0' },
      { name: 'alpha-tool', version: '1.5' },
    ]);
    await run('rpm', ['--root', rootfs, '--dbpath', '/usr/lib/sysimage/rpm', '--initdb']);
    for (const rpm of ['zeta-tool-2.0-1.oe2203.noarch.rpm', 'alpha-tool-1.5-1.oe2203.noarch.rpm'])
      await run('rpm', [
        '--root',
        rootfs,
        '--dbpath',
        '/usr/lib/sysimage/rpm',
        '-i',
        '--justdb',
        '--nodeps',
        '--nosignature',
        join(repo, rpm),
      ]);

    const listing = await readPackageDatabases(rootfs);
    expect(listing.unread).toEqual([]);
    expect(listing.packages.map((p) => `${p.type} ${p.name} ${p.version} ${p.arch}`)).toEqual([
      'deb base-files 12.4+deb12u5 amd64',
      'deb libc6 2.36-9+deb12u4 amd64',
      'deb perl-base 1:5.36.0-7 amd64',
      'rpm alpha-tool 1.5-1.oe2203 noarch',
      'rpm zeta-tool 2.0-1.oe2203 noarch',
    ]);

    const sbom = releaseSbom({ name: 'img', images: [], sources: [], files: [], packages: listing.packages });
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(sbom.toString())).toBeNull();
    const purls = JSON.parse(sbom.toString()).components.map((c: { purl: string }) => c.purl);
    expect(purls).toEqual([
      'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64',
      'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64',
      'pkg:deb/debian/perl-base@1:5.36.0-7?arch=amd64',
      'pkg:rpm/openeuler/alpha-tool@1.5-1.oe2203?arch=noarch',
      'pkg:rpm/openeuler/zeta-tool@2.0-1.oe2203?arch=noarch',
    ]);
    const reversed = releaseSbom({
      name: 'img',
      images: [],
      sources: [],
      files: [],
      packages: [...listing.packages].reverse(),
    });
    expect(reversed.equals(sbom)).toBe(true);
  });

  it('reports a Berkeley DB rpm database as a fact and lists nothing from it', async () => {
    const rootfs = join(root, 'bdb');
    await mkdir(join(rootfs, 'var/lib/rpm'), { recursive: true });
    await writeFile(join(rootfs, 'var/lib/rpm/Packages'), Buffer.alloc(16));
    expect(await readPackageDatabases(rootfs)).toEqual({
      packages: [],
      unread: ['/var/lib/rpm/Packages: an rpm database in Berkeley DB format, whose packages are not listed'],
    });
    await rm(rootfs, { recursive: true });
  });
});
