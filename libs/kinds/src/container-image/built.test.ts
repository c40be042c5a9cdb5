import { describe, expect, it } from 'vitest';
import type { BuildResult, BuiltImage } from '@dockyard/container';
import type { ContainerImage } from '@dockyard/project-spec';
import { imagesToShip } from './built';
import type { ContainerProject } from './project';

const image = (name: string, tags: string[]): BuiltImage => ({
  name,
  tags,
  digest: `sha256:${'a'.repeat(64)}`,
  platforms: [],
});
const build: BuildResult = {
  layout: '/ws/dist/os/build/oci',
  bases: [],
  images: [image('22.03-LTS-SP1', ['22.03-lts-sp1']), image('24.03-LTS', ['24.03-lts', 'latest'])],
};
const project = (spec: Partial<ContainerImage>) =>
  ({
    name: 'os',
    spec: { kind: 'ContainerImage', name: 'os', arches: ['amd64'], registries: [], ...spec },
    outputs: { build: '/ws/dist/os/build' },
  }) as ContainerProject;

describe('imagesToShip', () => {
  it("takes the built image of each version the project lists, and an app project's images as built", () => {
    const base = { base: { repo: 'https://repo.example' } };
    expect(imagesToShip(project({ ...base, versions: ['24.03-LTS'] }), build)).toEqual([build.images[1]]);
    expect(imagesToShip(project({ ...base, versions: ['22.03-LTS-SP1', '24.03-LTS'] }), build)).toEqual(build.images);
    expect(imagesToShip(project({ app: { meta: 'meta.yml' } }), build)).toEqual(build.images);
  });

  it('names build.json and what the last build made when a listed version was not built', () => {
    const narrowBuild = { ...build, images: [build.images[0]!] };
    expect(() =>
      imagesToShip(project({ base: { repo: 'r' }, versions: ['22.03-LTS-SP1', '24.03-LTS'] }), narrowBuild),
    ).toThrow('/ws/dist/os/build/build.json: no image of os 24.03-LTS (the last build made 22.03-LTS-SP1)');
  });
});
