import { describe, expect, it } from 'vitest';
import type { Release } from '@dockyard/project-spec';
import { releaseImageDockerfile, releaseImageReference } from './release-image';

const release: Release = {
  kind: 'Release',
  name: 'oem',
  version: 'v2.7.1',
  build: {
    image: 'harbor.example.com/release/oem:{version}',
    from: 'harbor.example.com/tools/base:1',
    files: [
      { from: '@collect', to: '/release/charts/' },
      { from: 'install.sh', to: '/release/install.sh' },
    ],
  },
};

describe('release image', () => {
  it('names the image with the version, starts from the pinned base and copies the collect output and project files from the workspace', () => {
    expect(releaseImageReference(release)).toBe('harbor.example.com/release/oem:v2.7.1');
    expect(
      releaseImageDockerfile(
        release,
        '/ws/releases/oem',
        '/ws',
        `harbor.example.com/tools/base:1@sha256:${'a'.repeat(64)}`,
      ),
    ).toBe(
      `FROM harbor.example.com/tools/base:1@sha256:${'a'.repeat(64)}\nCOPY ["dist/oem/collect","/release/charts/"]\nCOPY ["releases/oem/install.sh","/release/install.sh"]\nLABEL "org.opencontainers.image.version"="v2.7.1" "org.opencontainers.image.title"="oem"\n`,
    );
  });

  it('defaults to scratch with the collect output and the image lists', () => {
    const text = releaseImageDockerfile(
      { ...release, build: { image: 'r/x:{version}' } },
      '/ws/releases/oem',
      '/ws',
      'scratch',
    );
    expect(text.split('\n').slice(0, 3)).toEqual([
      'FROM scratch',
      'COPY ["dist/oem/collect","/release/charts"]',
      'COPY ["dist/oem/images","/release/images"]',
    ]);
  });
});
