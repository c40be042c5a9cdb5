import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePackages } from './require-tool';

const run = promisify(execFile);
const binfmtDir = '/proc/sys/fs/binfmt_misc';
/** Kept across runs: fetching the arm64 package needs an apt-get update with the extra architecture. */
const cacheDir = '/var/cache/dockyard-test';

/**
 * Lets this machine run arm64 binaries, in containers too: qemu-user-static's binfmt_misc entry (Debian registers it
 * with the F flag, so the interpreter is opened here and works inside a container's root).
 */
export async function enableArm64Emulation(): Promise<void> {
  await ensurePackages(['qemu-user-static', 'binfmt-support']);
  if (!existsSync(join(binfmtDir, 'register'))) await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', binfmtDir]);
  if (!existsSync(join(binfmtDir, 'qemu-aarch64'))) await run('update-binfmts', ['--enable', 'qemu-aarch64']);
}

/** A static busybox binary for `arch`: the host's for amd64, Debian's arm64 busybox-static package (cached) for arm64. */
export async function busyboxFor(arch: 'amd64' | 'arm64'): Promise<string> {
  if (arch === 'amd64') {
    await ensurePackages(['busybox-static']);
    return '/bin/busybox';
  }
  const binary = join(cacheDir, 'busybox-arm64', 'bin', 'busybox');
  if (existsSync(binary)) return binary;
  const work = join(cacheDir, 'busybox-arm64.download');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const { stdout } = await run('dpkg', ['--print-foreign-architectures']);
  if (!stdout.split('\n').includes('arm64')) await run('dpkg', ['--add-architecture', 'arm64']);
  await run('apt-get', ['update', '-qq'], { maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['download', '-qq', 'busybox-static:arm64'], { cwd: work });
  const deb = (await readdir(work)).find((name) => name.endsWith('.deb'));
  if (!deb) throw new Error('busyboxFor(arm64): apt-get download busybox-static:arm64 left no .deb');
  await run('dpkg-deb', ['-x', join(work, deb), join(work, 'x')]);
  await mkdir(join(cacheDir, 'busybox-arm64', 'bin'), { recursive: true });
  await copyFile(join(work, 'x', 'bin', 'busybox'), `${binary}.tmp`);
  await run('mv', [`${binary}.tmp`, binary]);
  await rm(work, { recursive: true, force: true });
  return binary;
}
