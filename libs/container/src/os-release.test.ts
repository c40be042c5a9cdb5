import { describe, expect, it } from 'vitest';
import { parseOsRelease, versionAsTag } from './os-release';

describe('os-release', () => {
  it('reads quoted and bare fields', () => {
    expect(parseOsRelease('NAME="openEuler"\nVERSION="22.03 (LTS-SP1)"\nID=openEuler\n# c\n')).toEqual({
      NAME: 'openEuler',
      VERSION: '22.03 (LTS-SP1)',
      ID: 'openEuler',
    });
  });

  it('turns VERSION into the tag form', () => {
    expect(versionAsTag('22.03 (LTS-SP1)')).toBe('22.03-lts-sp1');
    expect(versionAsTag('24.03 (LTS)')).toBe('24.03-lts');
    expect(versionAsTag('23.09')).toBe('23.09');
  });
});
