import { join } from 'node:path';
import { writeRpmRepository } from './rpm-repository';
import { serveFolder, type StaticServer } from './static-http-server';
import { writeVmRepositoryTree } from './vm-base-image';

export const CLOUD_VERSION = '22.03-LTS-SP1';

/**
 * `dir` as an openEuler mirror in small, served on 127.0.0.1: the VM base image of each arch and an rpm repository
 * at `rpms/` with `oe-hello` and `oe-tools` (which requires oe-hello).
 */
export async function serveCloudMirror(dir: string, repoArches = ['x86_64']): Promise<StaticServer> {
  await writeVmRepositoryTree(dir, CLOUD_VERSION, repoArches);
  await writeRpmRepository(join(dir, 'rpms'), [
    { name: 'oe-hello', version: '1.0' },
    { name: 'oe-tools', version: '2.1', requires: ['oe-hello'] },
  ]);
  return serveFolder(dir);
}
