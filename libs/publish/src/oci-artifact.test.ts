import { describe, expect, it } from 'vitest';
import { artifactManifest, BUNDLE_ARTIFACT_TYPE } from './oci-artifact';

describe('artifactManifest', () => {
  const layer = {
    mediaType: 'application/vnd.dockyard.bundle.layer.v1.tar+gzip',
    digest: `sha256:${'a'.repeat(64)}`,
    size: 10,
    annotations: { 'org.opencontainers.image.title': 'b.tar.gz' },
  };
  it('carries the bundle as its one layer with name and version, and no timestamp: the same bundle gives the same bytes', () => {
    const one = artifactManifest(layer, 'demo', 'v1');
    expect(one.equals(artifactManifest(layer, 'demo', 'v1'))).toBe(true);
    const json = JSON.parse(one.toString());
    expect(json.artifactType).toBe(BUNDLE_ARTIFACT_TYPE);
    expect(json.layers).toEqual([layer]);
    expect(json.annotations).toEqual({
      'org.opencontainers.image.title': 'demo',
      'org.opencontainers.image.version': 'v1',
    });
    expect(one.toString()).not.toMatch(/created/);
  });
});
