import type { Release } from './types';

/** Where a Release's `build:` pushes its release image (`{version}` filled in), when it has one. */
export function builtReleaseImage(spec: Release): string | undefined {
  return spec.build?.image.replaceAll('{version}', spec.version);
}

/** The image a Release's bundle carries as `image/release.tar.gz`: the one named, else the Release's own build. */
export function bundledReleaseImage(spec: Release): string | undefined {
  return spec.bundle?.releaseImage ?? builtReleaseImage(spec);
}
