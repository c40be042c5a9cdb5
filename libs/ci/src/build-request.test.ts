import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { buildRequest, parseBuildCommand, type IssueCommentEvent } from './build-request';
import type { WorkspaceProject } from './workspace-projects';

const event = (body: string, association = 'MEMBER', action = 'created'): IssueCommentEvent => ({
  action,
  comment: { body, author_association: association, user: { login: 'ada' } },
  issue: { number: 12 },
  repository: { full_name: 'acme/platform' },
});

const projects = new Map<string, WorkspaceProject>([
  [
    'nginx',
    {
      name: 'nginx',
      root: 'apps/nginx',
      file: 'apps/nginx/project.yaml',
      kind: 'AppImage',
      spec: { kind: 'AppImage', name: 'nginx', versions: ['1.25.3', '1.26.0'], repository: 'docker.io/labring/nginx' },
    },
  ],
  [
    'oem',
    {
      name: 'oem',
      root: 'releases/oem',
      file: 'releases/oem/project.yaml',
      kind: 'Release',
      spec: { kind: 'Release', name: 'oem', version: 'v2.7.0' },
    },
  ],
  [
    'openeuler',
    {
      name: 'openeuler',
      root: 'releases/containers/openeuler',
      file: 'releases/containers/openeuler/project.yaml',
      kind: 'ContainerImage',
      spec: {
        kind: 'ContainerImage',
        name: 'openeuler',
        versions: ['22.03-LTS-SP1', '24.03-LTS'],
        arches: ['amd64'],
        base: { repo: 'https://repo.openeuler.org' },
        registries: [{ registry: 'docker.io', repository: 'openeuler/openeuler' }],
      },
    },
  ],
  [
    'nginx-oe',
    {
      name: 'nginx-oe',
      root: 'apps/nginx-oe',
      file: 'apps/nginx-oe/project.yaml',
      kind: 'ContainerImage',
      spec: {
        kind: 'ContainerImage',
        name: 'nginx-oe',
        arches: ['amd64'],
        app: { meta: 'meta.yml' },
        registries: [{ registry: 'docker.io', repository: 'openeuler/nginx' }],
      },
    },
  ],
]);

describe('parseBuildCommand', () => {
  it('reads /build on the first line only, with one project and at most one version', () => {
    expect(parseBuildCommand('\n  /build nginx 1.25.3  \nthanks')).toEqual({ project: 'nginx', version: '1.25.3' });
    expect(parseBuildCommand('/build oem')).toEqual({ project: 'oem' });
    expect(parseBuildCommand('please /build nginx')).toBeUndefined();
    expect(parseBuildCommand('/builder x')).toBeUndefined();
    expect(parseBuildCommand('/build a b c')).toMatchObject({ usage: expect.stringContaining('/build <project>') });
  });
});

describe('buildRequest', () => {
  it('builds an AppImage version from its own folder, else latest/, as sealos matches them', async () => {
    const root = await tempDirFor(onTestFinished, 'build-request');
    await mkdir(join(root, 'apps/nginx/latest'), { recursive: true });
    await mkdir(join(root, 'apps/nginx/1.26.0'), { recursive: true });
    expect(await buildRequest(event('/build nginx 1.25.3'), projects, root)).toMatchObject({
      status: 'accepted',
      project: 'nginx',
      version: '1.25.3',
      folder: 'latest/',
      targets: ['build', 'publish'],
      issue: 12,
      repository: 'acme/platform',
    });
    expect(await buildRequest(event('/build apps/nginx 1.26.0'), projects, root)).toMatchObject({
      folder: '1.26.0/',
    });
    expect(await buildRequest(event('/build oem', 'OWNER'), projects, root)).toMatchObject({
      status: 'accepted',
      kind: 'Release',
      targets: ['bundle'],
    });
  });

  it('builds, checks and pushes one version of a ContainerImage that lists it', async () => {
    const root = await tempDirFor(onTestFinished, 'build-request-container');
    expect(await buildRequest(event('/build openeuler 24.03-LTS'), projects, root)).toMatchObject({
      status: 'accepted',
      kind: 'ContainerImage',
      version: '24.03-LTS',
      targets: ['build', 'check', 'publish'],
    });
    expect(await buildRequest(event('/build openeuler'), projects, root)).not.toHaveProperty('version');
  });

  it('refuses a version for a kind that has one of its own, or a project that lists none', async () => {
    const root = await tempDirFor(onTestFinished, 'build-request-no-versions');
    expect(await buildRequest(event('/build oem v2.7.0'), projects, root)).toMatchObject({
      status: 'refused',
      reason:
        "oem is a Release: it has one version, v2.7.0 (releases/oem/project.yaml's version), and takes none; write `/build oem`",
    });
    expect(await buildRequest(event('/build nginx-oe 1.25'), projects, root)).toMatchObject({
      status: 'refused',
      reason:
        'nginx-oe lists no versions in apps/nginx-oe/project.yaml; write `/build nginx-oe` to build every image it declares',
    });
    expect(await buildRequest(event('/build openeuler 24.03-lts'), projects, root)).toMatchObject({
      reason: expect.stringContaining('(22.03-LTS-SP1, 24.03-LTS)'),
    });
  });

  it('refuses non-members, unknown projects and unlisted versions, and ignores other comments', async () => {
    const root = await tempDirFor(onTestFinished, 'build-request-refused');
    expect(await buildRequest(event('/build nginx', 'CONTRIBUTOR'), projects, root)).toMatchObject({
      status: 'refused',
      reason: expect.stringContaining('@ada is not a member of acme/platform (CONTRIBUTOR)'),
    });
    expect(await buildRequest(event('/build nope'), projects, root)).toMatchObject({
      reason: 'no project named nope in this workspace',
    });
    expect(await buildRequest(event('/build nginx 9.9.9'), projects, root)).toMatchObject({
      reason: expect.stringContaining('nginx 9.9.9 is not a version apps/nginx/project.yaml lists (1.25.3, 1.26.0)'),
    });
    expect(await buildRequest(event('/build nginx 1.25.3'), projects, root)).toMatchObject({
      reason: 'nginx 1.25.3: neither apps/nginx/1.25.3/ nor apps/nginx/latest/ exists',
    });
    expect(await buildRequest(event('/build nginx', 'MEMBER', 'edited'), projects, root)).toMatchObject({
      status: 'ignored',
    });
    expect(await buildRequest(event('LGTM'), projects, root)).toMatchObject({ status: 'ignored' });
  });
});
