import { describe, expect, it } from 'vitest';
import { outputPaths } from './output-paths';

describe('outputPaths', () => {
  it('spells dist/<name>/<step> for a real root and for the Nx plugin', () => {
    expect(outputPaths('/ws', 'shop').bundle).toBe('/ws/dist/shop/bundle');
    expect(outputPaths('{workspaceRoot}', 'shop').images).toBe('{workspaceRoot}/dist/shop/images');
    expect(outputPaths('{workspaceRoot}', 'nginx').appVersion('1.25')).toBe('{workspaceRoot}/dist/nginx/1.25');
    expect(outputPaths('', 'shop').collect).toBe('dist/shop/collect');
  });
});
