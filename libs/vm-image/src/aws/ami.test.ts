import { describe, expect, it } from 'vitest';
import { registerImageParams } from './ami';
import { xmlValues } from './ec2-client';

describe('registerImageParams', () => {
  it('registers an HVM, ENA image of the arch with the snapshot as its root', () => {
    expect(registerImageParams('oe-22.03-arm64-abc', 'd', 'arm64', 'snap-1')).toMatchObject({
      Architecture: 'arm64',
      BootMode: 'uefi',
      EnaSupport: 'true',
      VirtualizationType: 'hvm',
      RootDeviceName: '/dev/xvda',
      'BlockDeviceMapping.1.Ebs.SnapshotId': 'snap-1',
    });
    expect(registerImageParams('n', 'd', 'amd64', 's').Architecture).toBe('x86_64');
  });
});

describe('xmlValues', () => {
  it('reads every value of a tag', () => {
    expect(xmlValues('<a><status>active</status><b><status>completed</status></b></a>', 'status')).toEqual([
      'active',
      'completed',
    ]);
  });
});
