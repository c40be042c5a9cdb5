import { join } from 'node:path';
import type { CloudImage, OpenedProject } from '@dockyard/project-spec';
import { vmArch, type VmArch } from '@dockyard/vm-image';

export type CloudImageProject = OpenedProject<CloudImage>;

/** The packages every cloud image gets, then the project's list (or EulerPublisher's default one). */
export const CLOUD_PACKAGES = ['cloud-init', 'cloud-utils-growpart'];
export const DEFAULT_RPMS = ['gdisk', 'wget', 'tar', 'hostname', 'unzip', 'make'];

export function packagesOf(project: CloudImageProject): string[] {
  return [...new Set([...CLOUD_PACKAGES, ...(project.spec.rpms ?? DEFAULT_RPMS)])].sort();
}

/** The project's arches as `amd64`/`arm64` (x86_64 and aarch64 read as their aliases), each once. */
export function archesOf(project: CloudImageProject): VmArch[] {
  return [...new Set(project.spec.arches.map(vmArch))];
}

/** `dist/<name>/<version>/<arch>`: one build's outputs. */
export function buildDir(project: CloudImageProject, version: string, arch: VmArch): string {
  return join(project.outputs.root, version, arch);
}

/** `dist/<name>/check`, `dist/<name>/publish`. */
export function stepDir(project: CloudImageProject, step: 'check' | 'publish'): string {
  return project.outputs[step];
}

/** Every version × arch the project builds. */
export function variants(project: CloudImageProject): { version: string; arch: VmArch }[] {
  return project.spec.versions.flatMap((version) => archesOf(project).map((arch) => ({ version, arch })));
}

/**
 * The disk size of every image, in bytes: the `size` its targets state (`8G`, `2048M`; one image serves every target,
 * so the project rules let them state only one), else undefined (the base image's size).
 */
export function diskSizeOf(project: CloudImageProject): number | undefined {
  const size = project.spec.targets?.find((t) => t.size !== undefined)?.size;
  const match = size === undefined ? undefined : /^(\d+)([MG])$/.exec(size);
  return match ? Number(match[1]) * (match[2] === 'G' ? 1 << 30 : 1 << 20) : undefined;
}
