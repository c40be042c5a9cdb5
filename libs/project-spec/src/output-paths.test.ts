import { describe, expect, it } from 'vitest';
import { outputPaths } from './output-paths';

describe('outputPaths', () => {
  it('spells dist/<name>/<step> for a real root and for the Nx plugin', () => {
    expect(outputPaths('/ws', 'shop').bundle).toBe('/ws/dist/shop/bundle');
    expect(outputPaths('{workspaceRoot}', 'shop').images).toBe('{workspaceRoot}/dist/shop/images');
    expect(outputPaths('{workspaceRoot}', 'nginx').appVersion('1.25')).toBe('{workspaceRoot}/dist/nginx/1.25');
    expect(outputPaths('', 'shop').collect).toBe('dist/shop/collect');
  });

  it('lists the small files of each OCI layout a build writes, without its blobs', () => {
    const paths = outputPaths('/ws', 'shop');
    expect(paths.buildRecords).toEqual([
      '/ws/dist/shop/build/build.json',
      '/ws/dist/shop/build/oci/index.json',
      '/ws/dist/shop/build/oci/oci-layout',
    ]);
    expect(paths.releaseImageRecords).toEqual([
      '/ws/dist/shop/release-image/index.json',
      '/ws/dist/shop/release-image/oci-layout',
      '/ws/dist/shop/release-image/release-image.json',
    ]);
    expect(paths.appVersionRecords('1.25', ['amd64'])).toEqual([
      '/ws/dist/shop/1.25/index.json',
      '/ws/dist/shop/1.25/oci-layout',
      '/ws/dist/shop/1.25/build.json',
      '/ws/dist/shop/1.25/amd64',
    ]);
  });
});
