import { describe, expect, it } from 'vitest';
import type { AppImage, Release } from '@dockyard/project-spec';
import { appImageBuildTarget, appImageImagesTarget, appImagePublishTarget } from './app-image';
import { releaseImageBuildTarget } from './build';
import { inferTargets } from './index';

const app: AppImage = {
  kind: 'AppImage',
  name: 'nginx',
  versions: ['1.25.3', '1.26.0'],
  repository: 'docker.io/labring/nginx',
  publish: { registries: [{ repository: 'mirror.example.com/labring/nginx' }] },
};
const facts = { name: 'nginx', root: 'releases/apps/nginx', kind: 'AppImage' as const, spec: app };

describe('AppImage targets', () => {
  it('caches images and build on the project folder, one output per version, and never caches publish', () => {
    expect(appImageImagesTarget(facts)).toMatchObject({
      executor: './tools/nx-plugin:verb',
      options: { verb: 'build', project: 'releases/apps/nginx', flags: ['--list-images'] },
      cache: true,
      outputs: ['{workspaceRoot}/dist/nginx/images'],
    });
    expect(appImageBuildTarget(facts)).toMatchObject({
      cache: true,
      outputs: ['{workspaceRoot}/dist/nginx/1.25.3', '{workspaceRoot}/dist/nginx/1.26.0'],
    });
    expect(appImageBuildTarget(facts)!.inputs).toEqual(
      expect.arrayContaining(['{projectRoot}/**/*', { dependentTasksOutputFiles: '**/project.lock.yaml' }]),
    );
    expect(appImageBuildTarget(facts)!.dependsOn).toEqual(['resolve']);
    const publish = appImagePublishTarget(facts)!;
    expect(publish).toMatchObject({
      cache: false,
      dependsOn: ['build'],
      command: 'node tools/cli/bin/dockyard.cjs build releases/apps/nginx --push',
    });
    expect(publish.metadata?.description).toContain('mirror.example.com/labring/nginx');
    expect(Object.keys(inferTargets(facts)).sort()).toEqual(['build', 'images', 'publish', 'resolve', 'validate']);
  });

  it('with a shared store, build caches only each version’s small files, and the store is an input', () => {
    const build = appImageBuildTarget(
      { ...facts, spec: { ...app, versions: ['1.26.0'], arches: ['arm64'] } },
      {
        sharedStore: true,
      },
    )!;
    expect(build.outputs).toEqual([
      '{workspaceRoot}/dist/nginx/1.26.0/index.json',
      '{workspaceRoot}/dist/nginx/1.26.0/oci-layout',
      '{workspaceRoot}/dist/nginx/1.26.0/build.json',
      '{workspaceRoot}/dist/nginx/1.26.0/arm64',
    ]);
    expect(build.inputs).toContainEqual({ env: 'DOCKYARD_STORE' });
    expect(appImageBuildTarget(facts, { sharedStore: false })!.inputs).not.toContainEqual({ env: 'DOCKYARD_STORE' });
  });

  it('gives a Release a build target only with a build: section', () => {
    const release: Release = {
      kind: 'Release',
      name: 'oem',
      version: 'v1',
      build: { image: 'harbor.example.com/release/oem:{version}' },
    };
    const target = releaseImageBuildTarget({ name: 'oem', root: 'releases/oem', kind: 'Release', spec: release });
    expect(target).toMatchObject({
      command: 'node tools/cli/bin/dockyard.cjs build releases/oem',
      cache: false,
      outputs: ['{workspaceRoot}/dist/oem/release-image'],
    });
    expect(target!.metadata?.description).toContain('harbor.example.com/release/oem:v1');
    expect(
      releaseImageBuildTarget({
        name: 'oem',
        root: 'releases/oem',
        kind: 'Release',
        spec: { ...release, build: undefined },
      }),
    ).toBeUndefined();
    expect(appImageBuildTarget({ name: 'oem', root: 'releases/oem', kind: 'Release', spec: release })).toBeUndefined();
  });
});
