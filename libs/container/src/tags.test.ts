import { describe, expect, it } from 'vitest';
import { appTag, baseTags, compareVersions, osCode, versionTag } from './tags';

describe('tag rules', () => {
  it('lower-cases the version and adds the table extras of that version', () => {
    expect(versionTag('22.03-LTS-SP1')).toBe('22.03-lts-sp1');
    expect(baseTags('22.03-LTS-SP1', { '22.03-LTS-SP1': ['latest', '22.03'], '24.03-LTS': ['24.03'] })).toEqual([
      '22.03-lts-sp1',
      'latest',
      '22.03',
    ]);
    expect(baseTags('24.03-LTS')).toEqual(['24.03-lts']);
  });

  it('spells the OS in app tags the openeuler-docker-images way', () => {
    expect(osCode('22.03-lts-sp3')).toBe('2203sp3');
    expect(osCode('22.03-LTS')).toBe('2203lts');
    expect(osCode('23.09')).toBe('2309');
    expect(appTag('1.2.0', '22.03-lts-sp3')).toBe('1.2.0-oe2203sp3');
    expect(appTag('3.4', '22.03-lts')).toBe('3.4-oe2203lts');
  });

  it('orders versions numerically', () => {
    expect(['1.10.0', '1.9.2', '1.9.10', '2.0'].sort(compareVersions)).toEqual(['1.9.2', '1.9.10', '1.10.0', '2.0']);
    expect(compareVersions('22.03-lts-sp3', '22.03-lts-sp1')).toBe(1);
  });
});
