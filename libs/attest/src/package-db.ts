import { execFile } from 'node:child_process';
import { access, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DockyardError } from '@dockyard/errors';

const run = promisify(execFile);

/** A package an image's own package database lists as installed. */
export interface InstalledPackage {
  type: 'deb' | 'rpm';
  name: string;
  /** deb: the full version (epoch included); rpm: `version-release`. */
  version: string;
  arch: string;
  /** rpm: the epoch, when the package has one. */
  epoch?: string;
}

/** What a rootfs's package databases list, and the facts about those that could not be read. */
export interface PackageListing {
  packages: InstalledPackage[];
  /** E.g. an rpm database in a format this reader does not support: a fact to report, not an error. */
  unread: string[];
}

const DPKG_STATUS = 'var/lib/dpkg/status';
const RPM_DB_DIRS = ['usr/lib/sysimage/rpm', 'var/lib/rpm'];

/**
 * The installed packages of a dpkg status file: stanzas separated by blank lines, whose Status ends in `installed`
 * (a removed package keeps a stanza with `deinstall ok config-files`).
 */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  const packages: InstalledPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
      if (match) fields.set(match[1]!.toLowerCase(), match[2]!.trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    if (!name || !version || !/\sinstalled$/.test(fields.get('status') ?? '')) continue;
    packages.push({ type: 'deb', name, version, arch: fields.get('architecture') ?? 'all' });
  }
  return packages;
}

const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

/** `rpm -qa` output in RPM_QUERY_FORMAT → packages (gpg-pubkey entries are keys, not packages). */
export function parseRpmQuery(output: string): InstalledPackage[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'))
    .filter(([name]) => name !== 'gpg-pubkey')
    .map(([name, epoch, version, release, arch]) => ({
      type: 'rpm' as const,
      name: name!,
      version: `${version}-${release}`,
      arch: arch === '(none)' ? 'noarch' : arch!,
      ...(epoch && epoch !== '(none)' ? { epoch } : {}),
    }));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Queries an sqlite rpm database through a copy, so that rpm's lock and journal files never touch the rootfs. */
async function queryRpmSqlite(database: string): Promise<InstalledPackage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'dockyard-rpmdb-'));
  try {
    await copyFile(database, join(dir, 'rpmdb.sqlite'));
    const { stdout } = await run('rpm', ['--dbpath', dir, '-qa', '--qf', RPM_QUERY_FORMAT], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return parseRpmQuery(stdout);
  } catch (err) {
    throw new DockyardError(`${database}: rpm could not list the packages of this rpm database`, {
      code: 'attest.rpmdb-unreadable',
      hint: 'install rpm (the Debian package `rpm`) to list the packages of rpm-based images',
      cause: err,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The packages a rootfs's own databases list: dpkg's status file, and an rpm database in sqlite form (rpm ≥ 4.16;
 * openEuler's). A Berkeley DB or ndb rpm database is reported in `unread`: rpm here reads sqlite only.
 */
export async function readPackageDatabases(rootfs: string): Promise<PackageListing> {
  const packages: InstalledPackage[] = [];
  const unread: string[] = [];
  const status = join(rootfs, DPKG_STATUS);
  if (await exists(status)) packages.push(...parseDpkgStatus(await readFile(status, 'utf8')));
  for (const dir of RPM_DB_DIRS) {
    const sqlite = join(rootfs, dir, 'rpmdb.sqlite');
    if (await exists(sqlite)) {
      packages.push(...(await queryRpmSqlite(sqlite)));
      break;
    }
    const other = (
      await Promise.all(
        [
          ['Packages', 'Berkeley DB'],
          ['Packages.db', 'ndb'],
        ].map(async ([file, format]) => ((await exists(join(rootfs, dir, file!))) ? { file, format } : undefined)),
      )
    ).find(Boolean);
    if (other) {
      unread.push(`/${dir}/${other.file}: an rpm database in ${other.format} format, whose packages are not listed`);
      break;
    }
  }
  return { packages: sortPackages(packages), unread };
}

/** Sorted and each once: a noarch package of a multi-arch image is listed by every arch's database. */
export function sortPackages(packages: InstalledPackage[]): InstalledPackage[] {
  const key = (p: InstalledPackage) => `${p.type}\0${p.name}\0${p.epoch ?? ''}\0${p.version}\0${p.arch}`;
  const unique = new Map(packages.map((p) => [key(p), p]));
  return [...unique.keys()].sort().map((k) => unique.get(k)!);
}
