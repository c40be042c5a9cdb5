import { describe, expect, it } from 'vitest';
import { StoragePaths } from './storage-paths';

const DIGEST = `sha256:ab${'0'.repeat(62)}`;
const HEX = DIGEST.slice(7);

describe('StoragePaths', () => {
  it("spells the distribution registry's filesystem layout", () => {
    const paths = new StoragePaths('/r');
    expect(paths.blobData(DIGEST)).toBe(`/r/docker/registry/v2/blobs/sha256/ab/${HEX}/data`);
    expect(paths.layerLink('team/app', DIGEST)).toBe(
      `/r/docker/registry/v2/repositories/team/app/_layers/sha256/${HEX}/link`,
    );
    expect(paths.revisionLink('app', DIGEST)).toBe(
      `/r/docker/registry/v2/repositories/app/_manifests/revisions/sha256/${HEX}/link`,
    );
    expect(paths.tagCurrentLink('app', 'v1')).toBe(
      '/r/docker/registry/v2/repositories/app/_manifests/tags/v1/current/link',
    );
    expect(paths.tagIndexLink('app', 'v1', DIGEST)).toBe(
      `/r/docker/registry/v2/repositories/app/_manifests/tags/v1/index/sha256/${HEX}/link`,
    );
  });
});
