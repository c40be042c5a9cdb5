import { describe, expect, it } from 'vitest';
import { replaceScratch } from './scratch-image';

describe('replaceScratch', () => {
  it('replaces only FROM scratch, keeping stage names and other stages', () => {
    const text = 'FROM scratch AS base\nADD a /\nfrom   SCRATCH\nFROM busybox:1\nRUN echo scratch\n';
    expect(replaceScratch(text, 'dockyard/scratch:linux-arm64')).toBe(
      'FROM dockyard/scratch:linux-arm64 AS base\nADD a /\nfrom   dockyard/scratch:linux-arm64\nFROM busybox:1\nRUN echo scratch\n',
    );
  });
});
