import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openProject } from '@dockyard/project-spec';
import type { ContainerProject } from './project';
import { onlyVersions } from '../shared/versions';
import { PreflightError } from '../shared/preflight';
import { publishProject } from './publish';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

async function project(): Promise<ContainerProject> {
  root = await mkdtemp(join(tmpdir(), 'c11-publish-'));
  const dir = join(root, 'releases/containers/os');
  await mkdir(dir, { recursive: true });
  await writeFile(join(root, 'nx.json'), '{}\n');
  await writeFile(
    join(dir, 'project.yaml'),
    [
      'kind: ContainerImage',
      'name: os',
      'versions: ["22.03-LTS-SP1", "24.03-LTS"]',
      'arches: [amd64]',
      'base: { repo: "http://127.0.0.1:9/" }',
      'registries:',
      '  - { registry: a.example.com, repository: os/os, credentials: { usernameEnv: A_USER, passwordEnv: A_PASSWORD } }',
      '  - { registry: b.example.com, repository: mirror/os }',
      '  - { registry: c.example.com, repository: os/os, credentials: { usernameEnv: C_USER, passwordEnv: C_PASSWORD } }',
      '',
    ].join('\n'),
  );
  await mkdir(join(root, 'dist/os/build'), { recursive: true });
  const build = {
    layout: join(root, 'dist/os/build/oci'),
    bases: [],
    images: [
      { name: '22.03-LTS-SP1', tags: ['22.03-lts-sp1'], digest: `sha256:${'b'.repeat(64)}`, platforms: [] },
      { name: '24.03-LTS', tags: ['24.03-lts', 'latest'], digest: `sha256:${'a'.repeat(64)}`, platforms: [] },
    ],
  };
  await writeFile(join(root, 'dist/os/build/build.json'), JSON.stringify(build));
  return openProject(join(dir, 'project.yaml'), root, ['ContainerImage']);
}

describe('publishProject before any push', () => {
  it('names every unset credential variable with its project.yaml line, for every registry, and contacts none', async () => {
    const p = await project();
    const error = await publishProject(p, { env: { A_USER: 'u' } }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PreflightError);
    const problems = (error as PreflightError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /project.yaml:7:\d+: registries\[0\].credentials: credentials for a.example.com: A_PASSWORD \(the password\) is not set/,
    );
    expect(problems[1]).toMatch(
      /project.yaml:9:\d+: registries\[2\].credentials: credentials for c.example.com: C_USER \(the username\) and C_PASSWORD \(the password\) are not set/,
    );
  });

  it('dry-run plans every tag for every registry without contacting them', async () => {
    const p = await project();
    const result = await publishProject(p, {
      dryRun: true,
      env: { A_USER: 'u', A_PASSWORD: 'p', C_USER: 'u', C_PASSWORD: 'p' },
    });
    expect(result.plan.map((e) => e.references)).toEqual(
      ['docker://a.example.com/os/os', 'docker://b.example.com/mirror/os', 'docker://c.example.com/os/os'].map(
        (repository) => [`${repository}:22.03-lts-sp1`, `${repository}:24.03-lts`, `${repository}:latest`],
      ),
    );
    expect(result.outcomes).toEqual([]);
  });

  it('narrowed to one version, plans only the tags of that version', async () => {
    const p = onlyVersions(await project(), ['22.03-LTS-SP1']);
    const result = await publishProject(p, {
      dryRun: true,
      env: { A_USER: 'u', A_PASSWORD: 'p', C_USER: 'u', C_PASSWORD: 'p' },
    });
    expect(result.plan.map((e) => e.references)).toEqual([
      ['docker://a.example.com/os/os:22.03-lts-sp1'],
      ['docker://b.example.com/mirror/os:22.03-lts-sp1'],
      ['docker://c.example.com/os/os:22.03-lts-sp1'],
    ]);
  });
});
