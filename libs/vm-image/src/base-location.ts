import { versionFolder } from '@dockyard/container';
import { repositoryArch, type VmArch } from './arch';

/** Where one version × arch VM image lives in an openEuler repository. */
export interface BaseImageLocation {
  /** `openEuler-<V>/virtual_machine_img/<arch>/openEuler-<V>-<arch>.qcow2.xz` below the repository root. */
  imagePath: string;
  checksumPath: string;
}

export function baseImageLocation(version: string, arch: VmArch): BaseImageLocation {
  const folder = versionFolder(version);
  const repoArch = repositoryArch(arch);
  const imagePath = `${folder}/virtual_machine_img/${repoArch}/${folder}-${repoArch}.qcow2.xz`;
  return { imagePath, checksumPath: `${imagePath}.sha256sum` };
}
