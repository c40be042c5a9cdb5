import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOsRelease, versionAsTag, type CheckCase } from '@dockyard/container';
import { CLOUD_CONFIG_PATH, SSHD_SETTINGS } from './cloud-setup';
import { copyPartitionOut } from './disk-image';
import { GuestFilesystem, isFolder } from './guest-filesystem';
import { readPartitionTable, rootPartition } from './partitions';
import { runTool } from './tools';

export interface CheckVmImageRequest {
  /** The built raw disk image. */
  raw: string;
  version: string;
  /** The packages the project asked for; each must be in the image's rpm database. */
  packages: readonly string[];
  /** The suite name in the JUnit report, e.g. `openeuler-cloud 22.03-LTS-SP1 amd64`. */
  suite: string;
  workDir: string;
}

type Check = (guest: GuestFilesystem) => Promise<string | undefined>;

/**
 * What a cloud requires of an image, read from its root filesystem offline (debugfs, no boot): each check returns
 * undefined when it holds, else what is wrong.
 */
export function imageChecks(
  version: string,
  packages: readonly string[],
  rpmQuery: (names: readonly string[]) => Promise<string[]>,
): [string, Check][] {
  return [
    [
      '/etc/os-release names the version',
      async (guest) => {
        const text = await guest.read('/etc/os-release');
        if (text === undefined) return '/etc/os-release is missing';
        const stated = versionAsTag(parseOsRelease(text).VERSION ?? '');
        return stated === version.toLowerCase() ? undefined : `VERSION says ${stated}, the project builds ${version}`;
      },
    ],
    [
      'every rpm of the list is installed',
      async () => {
        const missing = await rpmQuery(packages);
        return missing.length ? `not installed: ${missing.join(', ')}` : undefined;
      },
    ],
    [
      '/etc/machine-id is empty (regenerated at first boot)',
      async (guest) => {
        const id = await guest.read('/etc/machine-id');
        if (id === undefined) return '/etc/machine-id is missing (systemd would not treat the first boot as such)';
        return id === '' ? undefined : `/etc/machine-id holds "${id.trim()}"`;
      },
    ],
    [
      'no ssh host key from the build',
      async (guest) => {
        const keys = ((await guest.list('/etc/ssh')) ?? []).filter((e) => e.name.startsWith('ssh_host_'));
        return keys.length ? `left in /etc/ssh: ${keys.map((k) => k.name).join(', ')}` : undefined;
      },
    ],
    [
      'the root password is locked',
      async (guest) => {
        const root = (await guest.read('/etc/shadow'))?.split('\n').find((l) => l.startsWith('root:'));
        const password = root?.split(':')[1];
        if (password === undefined) return '/etc/shadow has no root entry';
        return password.startsWith('!') || password === '*' ? undefined : 'root has a usable password';
      },
    ],
    [
      'cloud-init is configured',
      async (guest) =>
        /datasource_list/.test((await guest.read(`/${CLOUD_CONFIG_PATH}`)) ?? '')
          ? undefined
          : `/${CLOUD_CONFIG_PATH} is missing or names no datasource_list`,
    ],
    [
      'sshd allows neither root nor passwords',
      async (guest) => {
        const config = await guest.read('/etc/ssh/sshd_config');
        if (config === undefined) return undefined;
        const first = (key: string) => new RegExp(`^\\s*${key}\\s+(\\S+)`, 'mi').exec(config)?.[1]?.toLowerCase();
        const wrong = SSHD_SETTINGS.slice(0, 2).filter(([key, value]) => first(key) !== value);
        return wrong.length
          ? `sshd_config: ${wrong.map(([k]) => `${k} ${first(k) ?? 'unset'}`).join(', ')}`
          : undefined;
      },
    ],
    [
      'no caches, logs or random seed',
      async (guest) => {
        const left = [
          ...((await guest.list('/var/cache/dnf')) ? ['/var/cache/dnf'] : []),
          ...((await guest.read('/var/lib/systemd/random-seed')) !== undefined ? ['/var/lib/systemd/random-seed'] : []),
          ...((await guest.list('/var/log')) ?? []).filter((e) => !isFolder(e)).map((e) => `/var/log/${e.name}`),
        ];
        return left.length ? `left: ${left.join(', ')}` : undefined;
      },
    ],
  ];
}

/** Runs every check on the image's root filesystem; the cases say which held. */
export async function checkVmImage(request: CheckVmImageRequest): Promise<CheckCase[]> {
  await mkdir(request.workDir, { recursive: true });
  const root = rootPartition(await readPartitionTable(request.raw), request.raw);
  const rootImage = join(request.workDir, 'root.ext4');
  await copyPartitionOut(request.raw, root, rootImage);
  const guest = new GuestFilesystem(rootImage);
  const rpmQuery = async (names: readonly string[]): Promise<string[]> => {
    if (names.length === 0) return [];
    const dbpath = join(request.workDir, 'rpmdb');
    await mkdir(dbpath, { recursive: true });
    await guest.dump('/var/lib/rpm/rpmdb.sqlite', join(dbpath, 'rpmdb.sqlite'));
    const out = await runTool('rpm', ['--dbpath', dbpath, '-qa', '--qf', '%{NAME}\\n']);
    const installed = new Set(out.split('\n'));
    return names.filter((name) => !installed.has(name));
  };
  const cases: CheckCase[] = [];
  for (const [name, check] of imageChecks(request.version, request.packages, rpmQuery)) {
    const started = Date.now();
    // A check that cannot run (no rpm database to read) fails with the reason; the others still run.
    const failure = await check(guest).catch((err: Error) => err.message);
    cases.push({ suite: request.suite, name, failure, seconds: (Date.now() - started) / 1000 });
  }
  return cases;
}
