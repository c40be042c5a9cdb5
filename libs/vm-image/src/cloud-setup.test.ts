import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyCloudSetup, CLOUD_CONFIG_PATH, hardenSshdConfig, lockRootPassword } from './cloud-setup';

describe('hardenSshdConfig', () => {
  it('puts the settings first and drops every other line setting them', () => {
    const out = hardenSshdConfig(
      '#PermitRootLogin yes\nPasswordAuthentication yes\nSubsystem sftp /usr/libexec/sftp-server\n',
    );
    expect(out).toMatch(/^# Hardened.*\nPermitRootLogin no\nPasswordAuthentication no\n/);
    expect(out).not.toMatch(/yes/);
    expect(out).toContain('Subsystem sftp /usr/libexec/sftp-server');
  });
});

describe('lockRootPassword', () => {
  it('locks a hash, an empty password and a star; leaves a lock and other users alone', () => {
    expect(lockRootPassword('root:$6$abc:19000::::::\nbin:*:1::::::', 'shadow')).toBe(
      'root:!$6$abc:19000::::::\nbin:*:1::::::',
    );
    expect(lockRootPassword('root::1::::::', 'shadow')).toBe('root:!*:1::::::');
    expect(lockRootPassword('root:!x:1::::::', 'shadow')).toBe('root:!x:1::::::');
    expect(() => lockRootPassword('bin:*:1::::::', '/etc/shadow')).toThrow(/\/etc\/shadow: has no root entry/);
  });
});

describe('applyCloudSetup', () => {
  let tree = '';
  afterEach(() => rm(tree, { recursive: true, force: true }));

  it('clears identity, keys, caches and logs, and writes the cloud-init drop-in', async () => {
    tree = await mkdtemp(join(tmpdir(), 'cloud-setup-'));
    const put = async (path: string, text: string) => {
      await mkdir(join(tree, path, '..'), { recursive: true });
      await writeFile(join(tree, path), text);
    };
    await put('etc/machine-id', '0123456789abcdef0123456789abcdef\n');
    await put('etc/ssh/ssh_host_ed25519_key', 'secret');
    await put('etc/ssh/ssh_host_ed25519_key.pub', 'public');
    await put('etc/ssh/sshd_config', 'PermitRootLogin yes\n');
    await put('etc/shadow', 'root:$6$x:1::::::\n');
    await put('var/cache/dnf/repo.solv', 'cache');
    await put('var/log/audit/audit.log', 'log');
    await put('var/lib/systemd/random-seed', 'seed');
    await put('tmp/build-leftover', 'x');

    await applyCloudSetup(tree, { cloudConfig: 'datasource_list: [Ec2]\n' });

    expect(await readFile(join(tree, 'etc/machine-id'), 'utf8')).toBe('');
    expect(await readdir(join(tree, 'etc/ssh'))).toEqual(['sshd_config']);
    expect(await readFile(join(tree, 'etc/shadow'), 'utf8')).toBe('root:!$6$x:1::::::\n');
    expect(await readFile(join(tree, CLOUD_CONFIG_PATH), 'utf8')).toBe('datasource_list: [Ec2]\n');
    expect(await readdir(join(tree, 'var/cache'))).toEqual([]);
    expect(await readdir(join(tree, 'var/log/audit'))).toEqual([]);
    expect(await readdir(join(tree, 'var/lib/systemd'))).toEqual([]);
    expect(await readdir(join(tree, 'tmp'))).toEqual([]);
  });
});
