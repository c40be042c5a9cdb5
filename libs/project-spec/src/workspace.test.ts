import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIssue } from './errors';
import { BaseRefError, validateWorkspace } from './workspace';

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString().trim();
const plugin = (name: string, version: string, port: number, slots: string[]) =>
  `kind: Plugin\nname: ${name}\nreleaseRegistry: r.example.com\nspec:\n  version: ${version}\n  service:\n    port: ${port}\n    image: r.example.com/release/compass-plugins-${name}:${version}\n  modules:\n    - name: m\n      slots: [${slots.join(', ')}]\n`;
const problems = async (baseRef?: string) => (await validateWorkspace({ root, baseRef })).issues.map(formatIssue);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dockyard-spec-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('validateWorkspace', () => {
  it('reports a port and a slot shared by two plugins on both files, each naming the other plugin', async () => {
    write('plugins/a/project.yaml', plugin('a', 'v0.1.0', 8080, ['nav.a', 'nav.shared']));
    write('plugins/b/project.yaml', plugin('b', 'v0.1.0', 8080, ['nav.shared']));
    expect(await problems()).toEqual([
      'plugins/a/project.yaml:7:11: spec.service.port: port 8080 is also used by plugin "b" (plugins/b/project.yaml) (pick a free port)',
      'plugins/a/project.yaml:11:22: spec.modules[0].slots[1]: slot "nav.shared" is also used by plugin "b" (plugins/b/project.yaml) (use a slot no other plugin takes)',
      'plugins/b/project.yaml:7:11: spec.service.port: port 8080 is also used by plugin "a" (plugins/a/project.yaml) (pick a free port)',
      'plugins/b/project.yaml:11:15: spec.modules[0].slots[0]: slot "nav.shared" is also used by plugin "a" (plugins/a/project.yaml) (use a slot no other plugin takes)',
    ]);
    write('plugins/b/project.yaml', plugin('b', 'v0.1.0', 8081, ['nav.b']));
    expect(await problems()).toEqual([]);
  });

  it('reports duplicate project names on both files', async () => {
    write('releases/one/project.yaml', 'kind: Release\nname: same\nversion: v1\n');
    write('releases/two/project.yaml', 'kind: Release\nname: same\nversion: v2\n');
    expect(await problems()).toEqual([
      'releases/one/project.yaml:2:7: name: project name "same" is also used by releases/two/project.yaml (project names must be unique in the workspace: rename one)',
      'releases/two/project.yaml:2:7: name: project name "same" is also used by releases/one/project.yaml (project names must be unique in the workspace: rename one)',
    ]);
  });

  it('checks that shipped projects exist and have the right kind', async () => {
    write('plugins/a/project.yaml', plugin('a', 'v0.1.0', 8080, ['x']));
    write(
      'releases/r/project.yaml',
      'kind: Release\nname: r\nversion: v1\nships:\n  plugins: [a, ghost]\n  appImages: [a]\n',
    );
    expect(await problems()).toEqual([
      'releases/r/project.yaml:5:16: ships.plugins[1]: no project named "ghost" (name an existing Plugin project)',
      'releases/r/project.yaml:6:15: ships.appImages[0]: "a" is a Plugin, not a AppImage',
    ]);
  });

  it('requires a changed plugin to raise its version against the base ref', async () => {
    git('init', '-q', '-b', 'main');
    write('plugins/a/project.yaml', plugin('a', 'v0.2.0', 8080, ['x']));
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    expect(await problems(base)).toEqual([]);
    write('plugins/a/project.yaml', plugin('a', 'v0.2.0', 8080, ['x', 'y']));
    expect(await problems(base)).toEqual([
      `plugins/a/project.yaml:5:12: spec.version: version v0.2.0 does not increase on v0.2.0 at ${base} (raise spec.version above v0.2.0)`,
    ]);
    write('plugins/a/project.yaml', plugin('a', 'v0.1.9', 8080, ['x', 'y']));
    expect(await problems(base)).toHaveLength(1);
    write('plugins/a/project.yaml', plugin('a', 'v0.3.0', 8080, ['x', 'y']));
    expect(await problems(base)).toEqual([]);
  });

  it('requires a version folder or latest/ for every app image version', async () => {
    write(
      'apps/nginx/project.yaml',
      'kind: AppImage\nname: nginx\nversions: ["1.0.0", "2.0.0"]\nrepository: docker.io/labring/nginx\nlatestFallback: false\n',
    );
    write('apps/nginx/1.0.0/init.sh', '#!/bin/sh\n');
    expect(await problems()).toEqual([
      'apps/nginx/project.yaml:3:21: versions[1]: no folder 2.0.0/ for this version (create 2.0.0/ or set latestFallback: true)',
    ]);
  });

  it('refuses a base ref git does not know, and a base ref outside a git repository, naming the ref', async () => {
    write('plugins/a/project.yaml', plugin('a', 'v0.2.0', 8080, ['x']));
    await expect(validateWorkspace({ root, baseRef: 'main' })).rejects.toThrow(
      new BaseRefError('main', `${root} is not in a git repository`),
    );
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
    await expect(validateWorkspace({ root, baseRef: 'nosuchref' })).rejects.toThrow(
      new BaseRefError('nosuchref', 'git knows no commit of that name here'),
    );
    await expect(validateWorkspace({ root, baseRef: '--output=/tmp/x' })).rejects.toThrow(BaseRefError);
    expect(await problems('main')).toEqual([]);
  });

  it('does not call a shipped project missing when it exists but has problems of its own', async () => {
    write(
      'plugins/a/project.yaml',
      plugin('a', 'v0.1.0', 8080, ['x']).replace(/^ {4}image: .*$/m, '    image: wrong/name:v0.1.0'),
    );
    write(
      'apps/web/project.yaml',
      'kind: AppImage\nname: web\nversions: ["1.0.0"]\nrepository: docker.io/labring/web\nbogus: 1\n',
    );
    write(
      'releases/r/project.yaml',
      'kind: Release\nname: r\nversion: v1\nships:\n  plugins: [a, web]\n  appImages: [web]\n',
    );
    expect((await problems()).filter((p) => p.startsWith('releases/'))).toEqual([
      'releases/r/project.yaml:5:16: ships.plugins[1]: "web" is a AppImage, not a Plugin',
    ]);
  });

  it('names every other holder when three plugins share a port', async () => {
    for (const name of ['a', 'b', 'c'])
      write(`plugins/${name}/project.yaml`, plugin(name, 'v0.1.0', 8080, [`nav.${name}`]));
    expect((await problems()).filter((p) => p.startsWith('plugins/b/'))).toEqual([
      'plugins/b/project.yaml:7:11: spec.service.port: port 8080 is also used by plugin "a" (plugins/a/project.yaml), plugin "c" (plugins/c/project.yaml) (pick a free port)',
    ]);
  });

  it('counts the port and slots of a plugin with problems of its own as taken', async () => {
    write(
      'plugins/a/project.yaml',
      plugin('a', 'v0.1.0', 8080, ['nav.a']).replace(/^ {4}image: .*$/m, '    image: wrong/name:v0.1.0'),
    );
    write('plugins/b/project.yaml', plugin('b', 'v0.1.0', 8080, ['nav.a']));
    expect((await problems()).filter((p) => p.startsWith('plugins/b/'))).toEqual([
      'plugins/b/project.yaml:7:11: spec.service.port: port 8080 is also used by plugin "a" (plugins/a/project.yaml) (pick a free port)',
      'plugins/b/project.yaml:11:15: spec.modules[0].slots[0]: slot "nav.a" is also used by plugin "a" (plugins/a/project.yaml) (use a slot no other plugin takes)',
    ]);
  });

  it('leaves projects under gitignored folders out, as Nx does', async () => {
    write('.gitignore', 'generated/\n');
    write('releases/one/project.yaml', 'kind: Release\nname: same\nversion: v1\n');
    write('generated/copy/project.yaml', 'kind: Release\nname: same\nversion: v1\n');
    const validation = await validateWorkspace({ root });
    expect(validation.projects.map((p) => p.file)).toEqual(['releases/one/project.yaml']);
    expect(validation.issues).toEqual([]);
  });
});
