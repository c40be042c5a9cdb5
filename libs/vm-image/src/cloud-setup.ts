import { lstat, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DockyardError } from '@dockyard/errors';

/** cloud-init settings every cloud's image needs, written as a drop-in beside the packaged cloud.cfg. */
export const DEFAULT_CLOUD_CONFIG = `# Written by Dockyard's CloudImage build.
datasource_list: [NoCloud, ConfigDrive, OpenStack, Ec2, None]
disable_root: true
ssh_pwauth: false
ssh_deletekeys: true
system_info:
  default_user:
    name: openeuler
    lock_passwd: true
    gecos: openEuler Cloud User
    groups: [wheel, adm, systemd-journal]
    sudo: ["ALL=(ALL) NOPASSWD:ALL"]
    shell: /bin/bash
`;

export const CLOUD_CONFIG_PATH = 'etc/cloud/cloud.cfg.d/90-dockyard.cfg';

/** sshd settings as EulerPublisher's cloud images have them: keys only, no root login, no DNS lookups. */
export const SSHD_SETTINGS: readonly [string, string][] = [
  ['PermitRootLogin', 'no'],
  ['PasswordAuthentication', 'no'],
  ['PermitEmptyPasswords', 'no'],
  ['ChallengeResponseAuthentication', 'no'],
  ['X11Forwarding', 'no'],
  ['UseDNS', 'no'],
  ['ClientAliveInterval', '180'],
];

/**
 * `sshd_config` with the hardening settings first (sshd takes the first value it reads) and every other line that
 * sets one of them, commented or not, removed.
 */
export function hardenSshdConfig(text: string): string {
  const keys = new Set(SSHD_SETTINGS.map(([key]) => key.toLowerCase()));
  const kept = text.split('\n').filter((line) => !keys.has(/^\s*#?\s*(\w+)/.exec(line)?.[1]?.toLowerCase() ?? ''));
  const header = ["# Hardened by Dockyard's CloudImage build.", ...SSHD_SETTINGS.map(([k, v]) => `${k} ${v}`), ''];
  return [...header, ...kept].join('\n');
}

/** `/etc/shadow` with root's password locked (`!` in front, as `passwd -l` does; `!*` when it had none). */
export function lockRootPassword(shadow: string, where: string): string {
  let found = false;
  const lines = shadow.split('\n').map((line) => {
    const fields = line.split(':');
    if (fields[0] !== 'root') return line;
    found = true;
    const password = fields[1] ?? '';
    fields[1] = password.startsWith('!') ? password : password === '' || password === '*' ? '!*' : `!${password}`;
    return fields.join(':');
  });
  if (!found)
    throw new DockyardError(`${where}: has no root entry to lock`, {
      code: 'VM_NO_ROOT_ENTRY',
      hint: 'the base image must have /etc/shadow with a root line',
    });
  return lines.join('\n');
}

/** What every cloud requires gone from an image: per-machine identity, caches, logs, history. */
export const CLEARED_PATHS: readonly string[] = [
  'var/cache/dnf',
  'var/cache/yum',
  'var/lib/dnf/history.sqlite',
  'var/lib/dnf/history.sqlite-shm',
  'var/lib/dnf/history.sqlite-wal',
  'var/lib/rpm/rpmdb.sqlite-shm',
  'var/lib/rpm/rpmdb.sqlite-wal',
  'var/lib/systemd/random-seed',
  'var/lib/random-seed',
  'var/lib/dbus/machine-id',
  'var/lib/cloud',
  'root/.bash_history',
];

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

async function emptyFolder(dir: string, keepFolders: boolean): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && keepFolders) await emptyFolder(path, true);
    else await rm(path, { recursive: true, force: true });
  }
}

export interface CloudSetupOptions {
  /** The project's cloud-init drop-in; default DEFAULT_CLOUD_CONFIG. */
  cloudConfig?: string;
}

/** Configures cloud-init and sshd and clears what identifies the build machine or the build, in the tree. */
export async function applyCloudSetup(tree: string, options: CloudSetupOptions = {}): Promise<void> {
  const at = (path: string) => join(tree, path);
  await mkdir(dirname(at(CLOUD_CONFIG_PATH)), { recursive: true });
  await writeFile(at(CLOUD_CONFIG_PATH), options.cloudConfig ?? DEFAULT_CLOUD_CONFIG);

  const sshd = at('etc/ssh/sshd_config');
  if (await exists(sshd)) await writeFile(sshd, hardenSshdConfig(await readFile(sshd, 'utf8')));
  for (const name of await readdir(at('etc/ssh')).catch(() => []))
    if (name.startsWith('ssh_host_')) await rm(at(`etc/ssh/${name}`), { force: true });

  const shadow = at('etc/shadow');
  if (!(await exists(shadow)))
    throw new DockyardError(`${shadow}: not found in the base image`, {
      code: 'VM_NO_ROOT_ENTRY',
      hint: 'the base image must have /etc/shadow with a root line',
    });
  await writeFile(shadow, lockRootPassword(await readFile(shadow, 'utf8'), '/etc/shadow'));

  // Empty, not absent: systemd writes a new id into it at first boot ("uninitialized" state).
  await writeFile(at('etc/machine-id'), '');
  for (const path of CLEARED_PATHS) await rm(at(path), { recursive: true, force: true });
  await emptyFolder(at('var/log'), true);
  await emptyFolder(at('tmp'), false);
  await emptyFolder(at('var/tmp'), false);
}
