import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create as createTar } from 'tar';
import { busyboxFor } from './foreign-arch';
import { removeTempDir, tempDir } from './tmp';

const run = promisify(execFile);
const repoArchOf = { amd64: 'x86_64', arm64: 'aarch64' } as const;
export type FixtureArch = keyof typeof repoArchOf;

/**
 * A rootfs shaped like openEuler's where the checks look: busybox (of `arch`) for every applet, `/bin/bash` as a
 * script handing over to sh, `/etc/os-release` in openEuler's words, `/etc/localtime` set to Asia/Shanghai (so only
 * the Dockerfile's RUN makes it UTC), `/etc/bashrc` with `TMOUT=300` and `/etc/openeuler-stamp` telling release and
 * update archives apart.
 */
async function writeRootfs(root: string, arch: FixtureArch, version: string, stamp: string): Promise<void> {
  for (const dir of ['bin', 'etc', 'root', 'tmp', 'proc', 'sys', 'dev', 'usr/share/zoneinfo/Asia'])
    await mkdir(join(root, dir), { recursive: true });
  await copyFile(await busyboxFor(arch), join(root, 'bin', 'busybox'));
  const { stdout } = await run('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox'))
    await symlink('busybox', join(root, 'bin', applet));
  await writeFile(join(root, 'bin', 'bash'), '#!/bin/sh\nexec /bin/sh "$@"\n', { mode: 0o755 });
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\n');
  const [number, ...rest] = version.split('-');
  const pretty = rest.length ? `${number} (${rest.join('-')})` : number;
  await writeFile(
    join(root, 'etc', 'os-release'),
    `NAME="openEuler"\nVERSION="${pretty}"\nID="openEuler"\nVERSION_ID="${number}"\nPRETTY_NAME="openEuler ${pretty}"\n`,
  );
  await writeFile(join(root, 'etc', 'bashrc'), 'export TMOUT=300\n');
  await writeFile(join(root, 'etc', 'openeuler-stamp'), `${stamp}\n`);
  await copyFile('/usr/share/zoneinfo/UTC', join(root, 'usr/share/zoneinfo/UTC'));
  await copyFile('/usr/share/zoneinfo/Asia/Shanghai', join(root, 'usr/share/zoneinfo/Asia/Shanghai'));
  await symlink('../usr/share/zoneinfo/Asia/Shanghai', join(root, 'etc', 'localtime'));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Writes `openEuler-docker.<arch>.tar.xz` (a docker-save archive whose single layer is the rootfs, as openEuler
 * publishes it) and its `.sha256sum` into `dir`. Returns the archive's sha256 hex.
 */
export async function writeBaseArchive(
  dir: string,
  arch: FixtureArch,
  version: string,
  stamp = 'release',
): Promise<string> {
  const work = await tempDir('oe-rootfs');
  try {
    const root = join(work, 'rootfs');
    await writeRootfs(root, arch, version, stamp);
    const image = join(work, 'image');
    await mkdir(join(image, 'layer'), { recursive: true });
    await createTar({ cwd: root, file: join(image, 'layer', 'layer.tar'), portable: true, mtime: new Date(0) }, ['.']);
    const layer = await readFile(join(image, 'layer', 'layer.tar'));
    const config = Buffer.from(
      JSON.stringify({
        architecture: arch,
        os: 'linux',
        config: { Cmd: ['bash'] },
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] },
      }),
    );
    const configName = `${sha256(config)}.json`;
    await writeFile(join(image, configName), config);
    const tag = `openeuler-${version.toLowerCase()}:latest`;
    await writeFile(
      join(image, 'manifest.json'),
      JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }]),
    );
    const repoArch = repoArchOf[arch];
    await mkdir(dir, { recursive: true });
    const archive = join(dir, `openEuler-docker.${repoArch}.tar`);
    await createTar({ cwd: image, file: archive, portable: true, mtime: new Date(0) }, [
      'manifest.json',
      configName,
      'layer',
    ]);
    await run('xz', ['--force', '-0', archive]);
    const hex = sha256(await readFile(`${archive}.xz`));
    await writeFile(`${archive}.xz.sha256sum`, `${hex}  openEuler-docker.${repoArch}.tar.xz\n`);
    return hex;
  } finally {
    await removeTempDir(work);
  }
}

export interface RepositoryTreeOptions {
  version: string;
  arches: FixtureArch[];
  /** Dated update folders to write besides the release (`docker_img/update/<date>/`). */
  updates?: string[];
}

/** `<root>/openEuler-<VERSION>/docker_img/<arch>/...` and each `docker_img/update/<date>/<arch>/...`. */
export async function writeRepositoryTree(root: string, options: RepositoryTreeOptions): Promise<void> {
  const versionDir = join(root, `openEuler-${options.version.toUpperCase()}`, 'docker_img');
  for (const arch of options.arches) {
    await writeBaseArchive(join(versionDir, repoArchOf[arch]), arch, options.version);
    for (const date of options.updates ?? [])
      await writeBaseArchive(join(versionDir, 'update', date, repoArchOf[arch]), arch, options.version, date);
  }
}
