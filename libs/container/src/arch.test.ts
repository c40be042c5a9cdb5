import { describe, expect, it } from 'vitest';
import { imageArch, repositoryArch } from './arch';

describe('arch names', () => {
  it('maps image arches to openEuler repository arches and back', () => {
    expect(repositoryArch('amd64')).toBe('x86_64');
    expect(repositoryArch('arm64')).toBe('aarch64');
    expect(repositoryArch('loong64')).toBe('loongarch64');
    expect(imageArch('aarch64')).toBe('arm64');
    expect(imageArch('loongarch64')).toBe('loong64');
  });

  it('has no openEuler name for arches openEuler ships no base image for', () => {
    expect(repositoryArch('s390x')).toBeUndefined();
    expect(imageArch('sparc')).toBeUndefined();
  });
});
