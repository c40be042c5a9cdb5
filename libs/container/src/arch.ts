import type { Arch } from '@dockyard/project-spec';

/** openEuler's folder and file names use the kernel's arch names; images use Go's. */
const REPO_ARCH: Partial<Record<Arch, string>> = { amd64: 'x86_64', arm64: 'aarch64', loong64: 'loongarch64' };

/** The openEuler repository's name for an image arch (`arm64` → `aarch64`), or undefined when openEuler ships none. */
export function repositoryArch(arch: Arch): string | undefined {
  return REPO_ARCH[arch];
}

/** The image arch of an openEuler repository arch (`x86_64` → `amd64`). */
export function imageArch(repoArch: string): Arch | undefined {
  return (Object.keys(REPO_ARCH) as Arch[]).find((arch) => REPO_ARCH[arch] === repoArch);
}

/** The arch this process runs on, in image terms. */
export function hostArch(): Arch {
  return (process.arch === 'x64' ? 'amd64' : process.arch) as Arch;
}
