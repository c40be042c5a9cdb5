import { describe, expect, it } from 'vitest';
import { automaticArgs } from './stage-environment';

describe('automatic build args', () => {
  it('names the target and build platforms as BuildKit does, an absent variant empty', () => {
    const args = automaticArgs(
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'amd64' },
    );
    expect(Object.fromEntries(args)).toEqual({
      TARGETPLATFORM: 'linux/arm/v7',
      TARGETOS: 'linux',
      TARGETARCH: 'arm',
      TARGETVARIANT: 'v7',
      BUILDPLATFORM: 'linux/amd64',
      BUILDOS: 'linux',
      BUILDARCH: 'amd64',
      BUILDVARIANT: '',
    });
  });
});
