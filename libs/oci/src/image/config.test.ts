import { describe, expect, it } from 'vitest';
import { configPlatform, parsePlatform } from './config';

describe('platforms', () => {
  it('parses OS/ARCH[/VARIANT] and refuses anything shorter, saying how to write it', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(() => parsePlatform('amd64')).toThrow(
      '"amd64" is not a platform; write OS/ARCH[/VARIANT], e.g. linux/amd64',
    );
    expect(configPlatform({ os: 'linux', architecture: 'arm', variant: '' })).toEqual({
      os: 'linux',
      architecture: 'arm',
    });
  });
});
