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

let unpacked: Promise<DebianKernel> | undefined;

/**
 * Debian's cloud kernel for amd64 (what `linux-image-cloud-amd64` depends on), fetched once with apt-get download and
 * unpacked (not installed) into a cache folder under the temp dir: a small kernel that boots under TCG in seconds.
 */
export function debianCloudKernel(): Promise<DebianKernel> {
  unpacked ??= (async () => {
    const { stdout } = await run('apt-cache', ['depends', 'linux-image-cloud-amd64']);
    const pkg = /Depends: (linux-image-\S+-cloud-amd64)/.exec(stdout)?.[1];
    if (!pkg) throw new Error(`apt-cache depends linux-image-cloud-amd64 names no kernel package:\n${stdout}`);
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
      await run('apt-get', ['download', pkg], { cwd: work });
      const deb = (await readdir(work)).find((f) => f.endsWith('.deb'))!;
      await run('dpkg-deb', ['-x', join(work, deb), join(work, 'tree')]);
      await rm(dir, { recursive: true, force: true });
      await rename(join(work, 'tree'), dir);
      await rm(work, { recursive: true, force: true });
    }
    return { release, vmlinuz, modules: join(dir, 'lib', 'modules', release, 'kernel') };
  })();
  return unpacked;
}
