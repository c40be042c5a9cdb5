import { execFile } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create as createTar } from 'tar';
import type { RunningDocker } from './docker';
import { ensureTools } from './require-tool';
import { removeTempDir, tempDir } from './tmp';

const run = promisify(execFile);
const busyboxBinary = '/bin/busybox';

/** Splits "host:port/name:tag" into repository and tag (no digests: docker import cannot make one). */
function repositoryAndTag(ref: string): { repo: string; tag: string } {
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  if (ref.includes('@'))
    throw new Error(`importBusyboxImage: "${ref}" has a digest; give a tag reference such as busybox:test`);
  return lastColon > lastSlash
    ? { repo: ref.slice(0, lastColon), tag: ref.slice(lastColon + 1) }
    : { repo: ref, tag: 'latest' };
}

/** A rootfs holding Debian's static busybox as /bin/busybox, one symlink per applet, and a root user. */
async function writeBusyboxRootfs(root: string): Promise<void> {
  for (const dir of ['bin', 'etc', 'root', 'tmp', 'proc', 'sys', 'dev']) await mkdir(join(root, dir));
  await copyFile(busyboxBinary, join(root, 'bin', 'busybox'));
  const { stdout } = await run(busyboxBinary, ['--list']);
  for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) {
    await symlink('busybox', join(root, 'bin', applet));
  }
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\n');
}

/**
 * Builds a busybox base image inside `engine` and tags it `ref` (e.g. "busybox:test" or
 * "127.0.0.1:5000/base/busybox:1"): rootfs tar from Debian's busybox-static, `docker import`
 * with `CMD ["sh"]` and PATH set. No network and no Docker Hub involved.
 */
export async function importBusyboxImage(engine: RunningDocker, ref: string): Promise<void> {
  const { repo, tag } = repositoryAndTag(ref);
  await ensureTools(['busybox']);
  const workDir = await tempDir('busybox');
  try {
    const root = join(workDir, 'rootfs');
    await mkdir(root);
    await writeBusyboxRootfs(root);
    const tarFile = join(workDir, 'rootfs.tar');
    await createTar({ cwd: root, file: tarFile, portable: true, mtime: new Date(0) }, ['.']);

    const progress = await engine.docker.importImage(tarFile, {
      repo,
      tag,
      changes: ['CMD ["sh"]', 'ENV PATH=/bin'],
    });
    const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
      engine.docker.modem.followProgress(progress, (error: Error | null, output: Array<{ error?: string }>) =>
        error ? reject(error) : resolve(output),
      ),
    );
    const failure = events.find((event) => event.error);
    if (failure) throw new Error(`importBusyboxImage: docker import of ${ref} failed: ${failure.error}`);
  } finally {
    await removeTempDir(workDir);
  }
}
