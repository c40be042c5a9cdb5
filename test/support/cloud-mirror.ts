import { join } from 'node:path';
import { writeRpmRepository } from './rpm-repository';
import { serveFolder, type StaticServer } from './static-http-server';
import { writeVmRepositoryTree, type BaseImageOptions } from './vm-base-image';

export const CLOUD_VERSION = '22.03-LTS-SP1';

/** The `everything` rpm repository of an arch, below the mirror's root, as openEuler lays it out. */
export const everythingPath = (repoArch: string) => `openEuler-${CLOUD_VERSION.toUpperCase()}/everything/${repoArch}/`;

/**
 * `dir` as an openEuler mirror in small, served on 127.0.0.1: the VM base image of each arch and, as each arch's
 * `everything` repository, noarch rpms: `oe-hello`, `oe-tools` (which requires oe-hello), and stand-ins named
 * `cloud-init` and `cloud-utils-growpart`, which every CloudImage installs.
 */
export async function serveCloudMirror(
  dir: string,
  repoArches = ['x86_64'],
  options: BaseImageOptions = {},
): Promise<StaticServer> {
  await writeVmRepositoryTree(dir, CLOUD_VERSION, repoArches, options);
  for (const arch of repoArches)
    await writeRpmRepository(join(dir, everythingPath(arch)), [
      { name: 'oe-hello', version: '1.0' },
      { name: 'oe-tools', version: '2.1', requires: ['oe-hello'] },
      { name: 'cloud-init', version: '21.4' },
      { name: 'cloud-utils-growpart', version: '0.31' },
    ]);
  return serveFolder(dir);
}
