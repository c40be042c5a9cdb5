import { hasCode } from '@dockyard/errors';
import { describe, expect, it } from 'vitest';
import {
  imageBlobs,
  indexChildren,
  manifestBlob,
  manifestMediaType,
  platformMatches,
  platformString,
} from './manifest';
import { isImageManifestType, isIndexType, MANIFEST_ACCEPT, MediaType } from './media-types';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('media types', () => {
  it('tells indexes from image manifests, and accepts all four when asking a registry', () => {
    expect(isIndexType(MediaType.dockerManifestList)).toBe(true);
    expect(isIndexType(MediaType.ociManifest)).toBe(false);
    expect(isImageManifestType(MediaType.dockerManifest)).toBe(true);
    expect(isImageManifestType(MediaType.ociLayerGzip)).toBe(false);
    expect(MANIFEST_ACCEPT.split(', ').sort()).toEqual(
      [MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest].sort(),
    );
  });
});

describe('manifests', () => {
  it("takes the server's content type when it is a manifest type, else reads the body", () => {
    const body = json({ schemaVersion: 2, mediaType: MediaType.dockerManifest });
    expect(manifestMediaType(body, `${MediaType.ociManifest}; charset=utf-8`)).toBe(MediaType.ociManifest);
    expect(manifestMediaType(body, 'application/json')).toBe(MediaType.dockerManifest);
    expect(manifestMediaType(json({ manifests: [] }), undefined)).toBe(MediaType.ociIndex);
    expect(manifestMediaType(json({ layers: [] }), undefined)).toBe(MediaType.ociManifest);
    expect(() => manifestMediaType(Buffer.from('<html>'), undefined)).toThrow('manifest manifest is not valid JSON');
  });

  it('lists an index’s children and an image’s config and layers, refusing schema 1 and a missing config', () => {
    const child = {
      mediaType: MediaType.ociManifest,
      digest: 'sha256:a',
      size: 1,
      platform: { os: 'linux', architecture: 'arm64' },
    };
    const index = manifestBlob(json({ schemaVersion: 2, manifests: [child] }), MediaType.ociIndex);
    expect(indexChildren(index)).toEqual([child]);
    expect(indexChildren(manifestBlob(json({ manifests: [child] }), MediaType.ociManifest))).toEqual([]);

    const config = { mediaType: MediaType.ociConfig, digest: 'sha256:c', size: 2 };
    const image = manifestBlob(json({ schemaVersion: 2, config }), MediaType.ociManifest);
    expect(imageBlobs(image)).toEqual({ config, layers: [] });

    const schema1 = manifestBlob(json({ schemaVersion: 1 }), MediaType.dockerManifest);
    expect(() => imageBlobs(schema1)).toThrow(/is Docker schema 1, which registries no longer serve/);
    const noConfig = manifestBlob(json({ schemaVersion: 2 }), MediaType.ociManifest);
    expect(() => imageBlobs(noConfig)).toThrow(`manifest ${noConfig.digest} has no config descriptor`);
    try {
      imageBlobs(noConfig);
    } catch (err) {
      expect(hasCode(err, 'MANIFEST_INVALID')).toBe(true);
    }
  });

  it('matches a platform with or without its variant', () => {
    const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    expect(platformString(arm64)).toBe('linux/arm64/v8');
    expect(platformString(undefined)).toBe('unknown');
    expect(platformMatches(arm64, 'linux/arm64')).toBe(true);
    expect(platformMatches(arm64, 'linux/arm64/v8')).toBe(true);
    expect(platformMatches({ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm/v7')).toBe(false);
    expect(platformMatches(undefined, 'linux/amd64')).toBe(false);
  });
});
