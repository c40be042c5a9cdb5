import { describe, expect, it } from 'vitest';
import { wslTarArguments } from './wsl-rootfs';

describe('wslTarArguments', () => {
  it('sorts entries, clamps times to the epoch and leaves out what differs between runs', () => {
    const args = wslTarArguments('/w/tree', '/w/out.tar', 1700000000);
    expect(args).toEqual(
      expect.arrayContaining(['--sort=name', '--numeric-owner', '--mtime=@1700000000', '--clamp-mtime']),
    );
    expect(args).toContain('--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime');
    expect(args.slice(-1)).toEqual(['.']);
  });
});
