import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirFor } from '../support/tmp';

const BIN = join(__dirname, '../../tools/cli/bin/dockyard.cjs');
const validate = (cwd: string, ...args: string[]) =>
  execa(process.execPath, [BIN, 'validate', ...args], { cwd, reject: false, env: { DOCKYARD_BASE_REF: '' } });
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
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '.'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'],
    ])
      await execa('git', args, { cwd: ws });
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
    expect(run.stderr).toBe(
      'dockyard validate: no Nx workspace (nx.json) in / or above; run it inside a workspace, pass --root DIR, or name the project.yaml files to check',
    );
    const folder = await validate(top, 'stray');
    expect(folder.stderr).toBe(
      'dockyard validate: stray: no Nx workspace (nx.json) in this folder or above; name its project.yaml files to check them alone, or pass --root DIR',
    );
  });

  it('says a named path does not exist', async () => {
    const run = await validate(ws, 'releases/nope/project.yaml');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('dockyard validate: releases/nope/project.yaml: no such file or folder');
  });

  it('refuses a --base ref git does not know, and --base outside a git repository, naming the ref', async () => {
    const unknown = await validate(ws, '--base', 'nosuchref');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe(
      'dockyard validate: --base nosuchref: git knows no commit of that name here (name a branch, tag or commit of the repository; in a shallow CI clone, fetch it first)',
    );
    const noRepo = await validate(plain, '--base', 'main');
    expect(noRepo.exitCode).toBe(1);
    expect(noRepo.stderr).toBe(
      `dockyard validate: --base main: ${plain} is not in a git repository (name a branch, tag or commit of the repository; in a shallow CI clone, fetch it first)`,
    );
    const known = await validate(ws, '--base', 'main');
    expect(known.exitCode, known.stderr).toBe(0);
  });
});

/** Every project.yaml string that becomes a path, with a value that would leave its place: one problem each, at the value. */
describe('dockyard validate: paths stay in their place', () => {
  const escaping = [
    'kind: Release',
    'name: esc',
    'version: v1/../../x',
    'components:',
    '  - name: a',
    '    local: ../../../etc',
    '    targetPath: ../../../releases/compass-oem',
    '  - name: b',
    '    git: { url: ../b.git }',
    '    paths: [charts, /etc/passwd]',
    '  - name: c',
    '    helm: { repo: "https://charts.example.com", chart: ../c }',
    'sync:',
    '  from: { registry: a.example.com }',
    '  to: [{ registry: b.example.com }]',
    '  lists: [../../images.list]',
    'bundle:',
    '  name: x/{version}',
    '  file: ../../../../tmp/x.tar.gz',
    '  images: { file: /tmp/images.tar }',
    '  files:',
    '    - { from: ../../secret, to: ok.txt }',
    '    - { from: install.sh, to: ../../install.sh }',
    'build:',
    '  image: r.example.com/x:{version}',
    '  files: [{ from: ../outside, to: /x }]',
    '',
  ].join('\n');

  it('names each field at file:line:col with what to write instead', async () => {
    const ws = await tempDirFor(afterAll, 'validate-escapes');
    await write(join(ws, 'nx.json'), '{}\n');
    await write(join(ws, 'releases/esc/project.yaml'), escaping);
    await write(
      join(ws, 'apps/app/project.yaml'),
      'kind: ContainerImage\nname: app\narches: [amd64]\nregistries: [{ registry: r.example.com, repository: x }]\napp: { meta: ../meta.yml }\ndockerfile: /Dockerfile\ncheck: { script: "..\\\\check.sh" }\n',
    );
    await write(
      join(ws, 'cloud/vm/project.yaml'),
      'kind: CloudImage\nname: vm\nversions: ["24.03"]\narches: [x86_64]\nsource: { repo: https://repo.example.com }\ncloudConfig: ../../cloud.yaml\n',
    );
    const run = await validate(ws);
    expect(run.exitCode).toBe(1);
    const inside = (within: string) =>
      `(write a path relative to ${within} that stays inside it: no leading "/" and no ".." segment)`;
    const name = (within: string) =>
      `(write a plain name, as it becomes one file or folder name in ${within}: no "/", "\\" or "..")`;
    expect(run.stderr.split('\n')).toEqual([
      `apps/app/project.yaml:5:14: app.meta: "../meta.yml" climbs out with ".." ${inside('the project folder')}`,
      `apps/app/project.yaml:6:13: dockerfile: "/Dockerfile" is an absolute path ${inside('the project folder')}`,
      `apps/app/project.yaml:7:18: check.script: "..\\check.sh" climbs out with ".." ${inside('the project folder')}`,
      `cloud/vm/project.yaml:6:14: cloudConfig: "../../cloud.yaml" climbs out with ".." ${inside('the project folder')}`,
      `releases/esc/project.yaml:3:10: version: "v1/../../x" climbs out with ".." ${name('dist/<project>/bundle')}`,
      `releases/esc/project.yaml:6:12: components[0].local: "../../../etc" climbs out with ".." ${inside('the project folder')}`,
      `releases/esc/project.yaml:7:17: components[0].targetPath: "../../../releases/compass-oem" climbs out with ".." ${inside('the collect output (dist/<project>/collect)')}`,
      `releases/esc/project.yaml:10:21: components[1].paths[1]: "/etc/passwd" is an absolute path ${inside("the component's repository")}`,
      `releases/esc/project.yaml:12:56: components[2].helm.chart: "../c" climbs out with ".." ${name('the collect output')}`,
      `releases/esc/project.yaml:16:11: sync.lists[0]: "../../images.list" climbs out with ".." ${inside('the project folder')}`,
      `releases/esc/project.yaml:18:9: bundle.name: "x/{version}" has a path separator where a plain name is expected ${name('the bundle')}`,
      `releases/esc/project.yaml:19:9: bundle.file: "../../../../tmp/x.tar.gz" climbs out with ".." ${name('dist/<project>/bundle')}`,
      `releases/esc/project.yaml:20:19: bundle.images.file: "/tmp/images.tar" is an absolute path ${inside('the bundle')}`,
      `releases/esc/project.yaml:22:15: bundle.files[0].from: "../../secret" climbs out with ".." ${inside('the project folder')}`,
      `releases/esc/project.yaml:23:31: bundle.files[1].to: "../../install.sh" climbs out with ".." ${inside('the bundle')}`,
      `releases/esc/project.yaml:26:19: build.files[0].from: "../outside" climbs out with ".." ${inside('the project folder')}`,
      '3 projects checked, 16 problems',
    ]);
  });
});
