import { describe, expect, it } from 'vitest';
import { repositoryArch, vmArch } from './arch';
import { baseImageLocation } from './base-location';

describe('VM arches', () => {
  it('accepts the kernel names as aliases and maps back for the repository', () => {
    expect(vmArch('x86_64')).toBe('amd64');
    expect(vmArch('aarch64')).toBe('arm64');
    expect(vmArch('arm64')).toBe('arm64');
    expect(repositoryArch('amd64')).toBe('x86_64');
    expect(() => vmArch('riscv64')).toThrow(/not an arch openEuler publishes VM images for/);
  });

  it('places the image as the openEuler repository does, version upper-case', () => {
    expect(baseImageLocation('22.03-lts-sp1', 'arm64')).toEqual({
      imagePath: 'openEuler-22.03-LTS-SP1/virtual_machine_img/aarch64/openEuler-22.03-LTS-SP1-aarch64.qcow2.xz',
      checksumPath:
        'openEuler-22.03-LTS-SP1/virtual_machine_img/aarch64/openEuler-22.03-LTS-SP1-aarch64.qcow2.xz.sha256sum',
    });
  });
});
