import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockyard } from '../support/cli';
import { releaseYaml } from '../support/projects';
import { tempDirFor } from '../support/tmp';

/** `--versions` on the verbs a `/build <project> <version>` runs, for the kinds without a build daemon here. */
describe('--versions on the project verbs', () => {
  let root: string;
  const env = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME!, DOCKYARD_STORE: join(root, 'store') });

  beforeAll(async () => {
    root = await tempDirFor(afterAll, 'versions-option');
    const files: Record<string, string> = {
      'nx.json': '{}\n',
      'releases/r/project.yaml': releaseYaml('r'),
      'releases/cloud/vm/project.yaml': [
        'kind: CloudImage',
        'name: vm',
        'versions: ["22.03-LTS-SP1", "24.03-LTS"]',
        'arches: [x86_64]',
        'source:',
        '  repo: http://127.0.0.1:9',
        'targets:',
        '  - type: generic',
        '    upload: { url: "s3://images/vm" }',
        '',
      ].join('\n'),
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(root, dirname(file)), { recursive: true });
      await writeFile(join(root, file), text);
    }
  });

  it('a CloudImage checks and publishes only the versions asked for', async () => {
    const all = await dockyard(['publish', 'vm', '--dry-run'], env(), root);
    expect(all.exitCode).toBe(1);
    expect(all.stderr).toContain('dist/vm/22.03-LTS-SP1/amd64/build.json: not there');
    for (const args of [
      ['publish', 'vm', '--versions', '24.03-LTS', '--dry-run'],
      ['check', 'vm', '--versions', '24.03-LTS'],
    ]) {
      const one = await dockyard(args, env(), root);
      expect(one.exitCode, args[0]).toBe(1);
      expect(one.stderr, args[0]).toContain(
        'dist/vm/24.03-LTS/amd64/build.json: not there (vm 24.03-LTS amd64 is not built)',
      );
      expect(one.stderr, args[0]).not.toContain('22.03');
    }
    const unknown = await dockyard(['check', 'vm', '--versions=20.03-LTS'], env(), root);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain(
      'releases/cloud/vm/project.yaml: vm has no version 20.03-LTS (its versions: 22.03-LTS-SP1, 24.03-LTS)',
    );
  });

  it('a Release, which has one version of its own, refuses --versions in build and publish', async () => {
    for (const verb of ['build', 'publish']) {
      const result = await dockyard([verb, 'releases/r', '--versions', 'v1.0.0'], env(), root);
      expect(result.exitCode, verb).toBe(2);
      expect(result.stderr, verb).toContain(
        "--versions chooses among the versions: an AppImage, ContainerImage or CloudImage lists; r is a Release (one version, releases/r/project.yaml's version:)",
      );
    }
  });
});
