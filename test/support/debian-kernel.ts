import { execFile } from 'node:child_process';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DebianKernel {
  /** e.g. 6.1.0-57-cloud-amd64 */
  release: string;
  vmlinuz: string;
  /** `lib/modules/<release>/kernel` of the package. */
  modules: string;
}

const unpacked = new Map<string, Promise<DebianKernel>>();

/** apt-get can fetch `:arm64` packages only once dpkg knows the architecture and the lists have it. */
async function ensureForeignArch(arch: 'amd64' | 'arm64'): Promise<void> {
  if (arch === 'amd64') return;
  const { stdout } = await run('dpkg', ['--print-foreign-architectures']);
  if (stdout.split('\n').includes(arch)) return;
  await run('dpkg', ['--add-architecture', arch]);
  await run('apt-get', ['update', '-qq'], { maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Debian's cloud kernel for `arch` (what `linux-image-cloud-<arch>` depends on), fetched once with apt-get download
 * and unpacked (not installed) into a cache folder under the temp dir: a small kernel that boots under TCG in
 * seconds, for amd64 and arm64 alike.
 */
export function debianCloudKernel(arch: 'amd64' | 'arm64' = 'amd64'): Promise<DebianKernel> {
  let kernel = unpacked.get(arch);
  if (!kernel) {
    kernel = unpackKernel(arch);
    unpacked.set(arch, kernel);
  }
  return kernel;
}

async function unpackKernel(arch: 'amd64' | 'arm64'): Promise<DebianKernel> {
  await ensureForeignArch(arch);
  const meta = `linux-image-cloud-${arch}:${arch}`;
  const { stdout } = await run('apt-cache', ['depends', meta]);
  const pkg = new RegExp(`Depends: (linux-image-\\S+-cloud-${arch})`).exec(stdout)?.[1];
  if (!pkg) throw new Error(`apt-cache depends ${meta} names no kernel package:\n${stdout}`);
  const release = pkg.replace(/^linux-image-/, '');
  const dir = join(tmpdir(), 'dockyard-debian-kernel', release);
  const vmlinuz = join(dir, 'boot', `vmlinuz-${release}`);
  const present = await access(vmlinuz).then(
    () => true,
    () => false,
  );
  if (!present) {
    const work = `${dir}.partial-${process.pid}`;
    await mkdir(work, { recursive: true });
    await run('apt-get', ['download', `${pkg}:${arch}`], { cwd: work });
    const deb = (await readdir(work)).find((f) => f.endsWith('.deb'))!;
    await run('dpkg-deb', ['-x', join(work, deb), join(work, 'tree')]);
    await rm(dir, { recursive: true, force: true });
    await rename(join(work, 'tree'), dir);
    await rm(work, { recursive: true, force: true });
  }
  return { release, vmlinuz, modules: join(dir, 'lib', 'modules', release, 'kernel') };
}
