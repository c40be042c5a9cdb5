import { describe, expect, it } from 'vitest';
import { builtReleaseImage, bundledReleaseImage } from './release-image';
import type { Release } from './types';

const release = (extra: Partial<Release>): Release =>
  ({ kind: 'Release', name: 'r', version: 'v2.7.0', ...extra }) as Release;

describe('release image', () => {
  it('is the build: image with its version, unless the bundle names another', () => {
    const built = release({ build: { image: 'build.example/release/r:{version}' } } as Partial<Release>);
    expect(builtReleaseImage(built)).toBe('build.example/release/r:v2.7.0');
    expect(bundledReleaseImage(built)).toBe('build.example/release/r:v2.7.0');
    expect(bundledReleaseImage({ ...built, bundle: { releaseImage: 'other.example/x:v1' } } as Release)).toBe(
      'other.example/x:v1',
    );
    expect(bundledReleaseImage(release({}))).toBeUndefined();
  });
});
