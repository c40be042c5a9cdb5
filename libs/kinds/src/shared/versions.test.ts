import { describe, expect, it } from 'vitest';
import type { CloudImage, ContainerImage, OpenedProject, Release } from '@dockyard/project-spec';
import { hasVersions, onlyVersions } from './versions';

const opened = <S extends OpenedProject['spec']>(spec: S) =>
  ({ spec, name: spec.name, file: `p/${spec.name}/project.yaml` }) as OpenedProject<S>;

const os: ContainerImage = {
  kind: 'ContainerImage',
  name: 'os',
  versions: ['22.03-LTS-SP1', '24.03-LTS'],
  arches: ['amd64'],
  base: { repo: 'https://repo.example' },
  registries: [],
};

describe('onlyVersions', () => {
  it('keeps the versions asked for, in project.yaml order, and leaves the project as it was', () => {
    const project = opened(os);
    const narrowed = onlyVersions(project, ['24.03-LTS']);
    expect(narrowed.spec.versions).toEqual(['24.03-LTS']);
    expect(onlyVersions(project, ['24.03-LTS', '22.03-LTS-SP1']).spec.versions).toEqual(os.versions);
    expect(narrowed.spec.registries).toBe(os.registries);
    expect(project.spec.versions).toEqual(['22.03-LTS-SP1', '24.03-LTS']);
  });

  it('names project.yaml and the versions it lists for a version it does not list', () => {
    expect(() => onlyVersions(opened(os), ['24.03-lts'])).toThrow(
      'p/os/project.yaml: os has no version 24.03-lts (its versions: 22.03-LTS-SP1, 24.03-LTS)',
    );
    const cloud: CloudImage = {
      kind: 'CloudImage',
      name: 'vm',
      versions: ['24.03-LTS'],
      arches: ['x86_64'],
    } as CloudImage;
    expect(() => onlyVersions(opened(cloud), ['20.03', '24.03-LTS'])).toThrow('vm has no version 20.03');
    const app: ContainerImage = { ...os, name: 'app', versions: undefined, base: undefined, app: { meta: 'meta.yml' } };
    expect(() => onlyVersions(opened(app), ['1.0'])).toThrow(
      'p/app/project.yaml: app has no version 1.0 (it lists no versions)',
    );
  });

  it('tells the kinds with versions from those with one version of their own', () => {
    expect(hasVersions(opened(os))).toBe(true);
    expect(hasVersions(opened({ kind: 'Release', name: 'r', version: 'v1' } as Release))).toBe(false);
  });
});
