import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirFor } from '../support/tmp';

const REPO = join(__dirname, '..', '..');
const dockyard = (cwd: string, ...args: string[]) =>
  execa(process.execPath, [join(REPO, 'tools/cli/bin/dockyard.cjs'), ...args], { cwd, reject: false });
const CHARTS_LIST =
  'metadata:\n  name: compass-oem\nspec:\n  - repositoryFullName: acme/compass-charts\n    resourcePaths: [release/app.yaml]\n';

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('dockyard resolve --import', () => {
  let ws: string;
  beforeAll(async () => {
    ws = await tempDirFor(afterAll, 'import');
    await write(join(ws, 'nx.json'), '{}\n');
    await symlink(join(REPO, 'libs'), join(ws, 'libs'));
    await write(join(ws, 'releases/compass-oem/project.yaml'), 'kind: Release\nname: compass-oem\nversion: v1\n');
    await write(join(ws, 'charts_list.yaml'), CHARTS_LIST);
  });

  it('refuses a project name the workspace already has, naming that project.yaml, and writes nothing', async () => {
    const run = await dockyard(
      ws,
      'resolve',
      '--import',
      'charts_list.yaml',
      '--out',
      'releases/oem-copy/project.yaml',
    );
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      'a project named "compass-oem" already exists (releases/compass-oem/project.yaml); project names are unique in the workspace, so pass --name with another name',
    );
    expect(existsSync(join(ws, 'releases/oem-copy'))).toBe(false);
  });

  it('writes a project that starts with the $schema line and validates with its workspace', async () => {
    const run = await dockyard(
      ws,
      'resolve',
      '--import',
      'charts_list.yaml',
      '--out',
      'releases/oem-next/project.yaml',
      '--name',
      'oem-next',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const text = await readFile(join(ws, 'releases/oem-next/project.yaml'), 'utf8');
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# yaml-language-server: $schema=../../libs/project-spec/schemas/release.schema.json',
      '# Imported from charts_list.yaml by `dockyard resolve --import`.',
      'kind: Release',
      'name: oem-next',
    ]);
    expect(existsSync(join(ws, 'releases/oem-next', '../../libs/project-spec/schemas/release.schema.json'))).toBe(true);
    const validate = await dockyard(ws, 'validate');
    expect(validate.stdout, validate.stderr).toBe('2 projects checked, 0 problems');
  });
});
