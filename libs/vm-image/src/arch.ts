import { DockyardError } from '@dockyard/errors';

/** The arches openEuler publishes VM images for, written as every other kind writes them. */
export type VmArch = 'amd64' | 'arm64';

const REPO_ARCH: Record<VmArch, string> = { amd64: 'x86_64', arm64: 'aarch64' };

/** `amd64`/`arm64`, or the kernel names openEuler's folders use (`x86_64`/`aarch64`) as aliases. */
export function vmArch(name: string): VmArch {
  if (name in REPO_ARCH) return name as VmArch;
  const alias = (Object.keys(REPO_ARCH) as VmArch[]).find((arch) => REPO_ARCH[arch] === name);
  if (alias) return alias;
  throw new DockyardError(`"${name}" is not an arch openEuler publishes VM images for`, {
    code: 'VM_ARCH_UNKNOWN',
    hint: 'write amd64 or arm64 (x86_64 and aarch64 are accepted too)',
  });
}

/** openEuler's folder and file name for the arch (`arm64` → `aarch64`); also dnf's and rpm's. */
export function repositoryArch(arch: VmArch): string {
  return REPO_ARCH[arch];
}
