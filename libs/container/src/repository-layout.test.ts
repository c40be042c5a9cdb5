import { describe, expect, it } from 'vitest';
import {
  baseArchiveLocation,
  datedFolders,
  indexFolder,
  needsListing,
  parseChecksumFile,
  versionFolder,
} from './repository-layout';

describe('openEuler repository layout', () => {
  it('puts a release base image under docker_img/<arch> of the upper-cased version folder', () => {
    expect(versionFolder('22.03-lts-sp1')).toBe('openEuler-22.03-LTS-SP1');
    expect(baseArchiveLocation('22.03-LTS-SP1', 'release', 'arm64')).toEqual({
      version: '22.03-LTS-SP1',
      arch: 'arm64',
      archivePath: 'openEuler-22.03-LTS-SP1/docker_img/aarch64/openEuler-docker.aarch64.tar.xz',
      checksumPath: 'openEuler-22.03-LTS-SP1/docker_img/aarch64/openEuler-docker.aarch64.tar.xz.sha256sum',
    });
  });

  it('maps dated and current updates to their folders and leaves bare update to the listing', () => {
    expect(indexFolder('update/2024-06-30')).toBe('docker_img/update/2024-06-30');
    expect(indexFolder('update/current')).toBe('docker_img/update/current');
    expect(needsListing('update')).toBe(true);
    expect(needsListing('release')).toBe(false);
    expect(() => indexFolder('nightly')).toThrow(/not release, update/);
  });

  it('refuses arches openEuler ships no base image for', () => {
    expect(() => baseArchiveLocation('24.03-LTS', 'release', 's390x')).toThrow(/no base image for s390x/);
  });

  it('finds dated folders in an HTTP listing, newest first, ignoring current and files', () => {
    const html =
      '<a href="../">../</a><a href="2023-12-01/">2023-12-01/</a><a href="current/">current/</a><a href="2024-06-30/">2024-06-30/</a><a href="2024-01-15/">x</a><a href="notes.txt">';
    expect(datedFolders(html)).toEqual(['2024-06-30', '2024-01-15', '2023-12-01']);
    expect(datedFolders(['current', '2024-01-15', '2025-02-01'])).toEqual(['2025-02-01', '2024-01-15']);
  });

  it('reads the digest of a sha256sum file and names the file when it is not one', () => {
    const hex = 'ab'.repeat(32);
    expect(parseChecksumFile(`${hex.toUpperCase()}  openEuler-docker.x86_64.tar.xz\n`, 'x')).toBe(`sha256:${hex}`);
    expect(() => parseChecksumFile('<html>404</html>', 'http://h/f.sha256sum')).toThrow(
      /http:\/\/h\/f.sha256sum: not a sha256sum file/,
    );
  });
});
