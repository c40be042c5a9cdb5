import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirFor } from '../harness/tmp';

const BIN = join(__dirname, '../../tools/cli/bin/dockyard.cjs');
const validate = (cwd: string, ...args: string[]) => execa(process.execPath, [BIN, 'validate', ...args], { cwd, reject: false, env: { DOCKYARD_BASE_REF: '' } });
const release = (name: string) => `kind: Release\nname: ${name}\nversion: v1\n`;

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** Two workspaces side by side, one a git repository, plus a stray project.yaml that belongs to neither. */
describe('dockyard validate PATH', () => {
  let top: string;
  let ws: string;
  let plain: string;
  beforeAll(async () => {
    top = await tempDirFor(afterAll, 'validate-paths');
    ws = join(top, 'ws');
    plain = join(top, 'plain');
    for (const root of [ws, plain]) await write(join(root, 'nx.json'), '{}\n');
    await write(join(ws, 'releases/a/project.yaml'), release('a'));
    await write(join(ws, 'releases/b/project.yaml'), release('b'));
    await write(join(plain, 'releases/a/project.yaml'), release('a'));
    await write(join(top, 'stray/project.yaml'), `${release('a')}desciption: one line\n`);
    for (const args of [['init', '-q', '-b', 'main'], ['add', '.'], ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base']]) await execa('git', args, { cwd: ws });
  });

  it('takes the workspace from the path, not from the current folder, even from / ', async () => {
    for (const cwd of [top, '/']) {
      const run = await validate(cwd, join(ws, 'releases/a/project.yaml'));
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe('1 project checked, 0 problems');
    }
    const folder = await validate('/', join(ws, 'releases'));
    expect(folder.stdout).toBe('2 projects checked, 0 problems');
  });

  it('checks a file with no workspace above it alone, against its schema', async () => {
    const run = await validate('/', join(top, 'stray/project.yaml'));
    expect(run.exitCode).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      `${join(top, 'stray/project.yaml')}:4:1: desciption: unknown key "desciption" (did you mean "description"?)`,
      '1 project checked, 1 problem',
    ]);
  });

  it('refuses to walk a folder with no workspace above it, and says what to do', async () => {
    const run = await validate('/');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('dockyard validate: no Nx workspace (nx.json) in / or above; run it inside a workspace, pass --root DIR, or name the project.yaml files to check');
    const folder = await validate(top, 'stray');
    expect(folder.stderr).toBe('dockyard validate: stray: no Nx workspace (nx.json) in this folder or above; name its project.yaml files to check them alone, or pass --root DIR');
  });

  it('says a named path does not exist', async () => {
    const run = await validate(ws, 'releases/nope/project.yaml');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('dockyard validate: releases/nope/project.yaml: no such file or folder');
  });

  it('refuses a --base ref git does not know, and --base outside a git repository, naming the ref', async () => {
    const unknown = await validate(ws, '--base', 'nosuchref');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe('dockyard validate: --base nosuchref: git knows no commit of that name here (name a branch, tag or commit of the repository; in a shallow CI clone, fetch it first)');
    const noRepo = await validate(plain, '--base', 'main');
    expect(noRepo.exitCode).toBe(1);
    expect(noRepo.stderr).toBe(`dockyard validate: --base main: ${plain} is not in a git repository (name a branch, tag or commit of the repository; in a shallow CI clone, fetch it first)`);
    const known = await validate(ws, '--base', 'main');
    expect(known.exitCode, known.stderr).toBe(0);
  });
});
