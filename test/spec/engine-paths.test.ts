import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPluginBundle, planReleaseBundle, writeBundle } from '@dockyard/bundle';
import { PathEscapeError } from '@dockyard/files';
import { collectComponents } from '@dockyard/sources';
import type { Component, Plugin, Release } from '@dockyard/project-spec';
import { serveFolder } from '../support/static-http-server';
import { tempDirFor } from '../support/tmp';
import { releaseWorkspace } from '../bundle/workspace';
import { dockyard } from '../support/cli';

/**
 * The engines refuse an escaping path themselves, where they write or read, for a project.yaml that never
 * went through `validate` (a library caller, a hand-made spec): nothing lands outside its place.
 */
describe('engines keep project.yaml paths in their place', () => {
  let ws: string;
  let projectDir: string;
  beforeAll(async () => {
    ws = await tempDirFor(afterAll, 'engine-paths');
    projectDir = join(ws, 'releases', 'esc');
    await mkdir(join(projectDir, 'addons'), { recursive: true });
    await writeFile(join(projectDir, 'addons', 'install.sh'), 'echo collected\n');
    await writeFile(join(projectDir, 'install.sh'), 'echo\n');
    await writeFile(join(ws, 'secret'), 'do not ship\n');
  });

  async function collect(component: Component, lock?: Parameters<typeof collectComponents>[0]['lock']) {
    const outDir = join(ws, 'dist', 'esc', 'collect');
    return collectComponents({ project: 'esc', dir: projectDir, components: [component], lock, outDir });
  }

  it('collect refuses a targetPath that climbs out, and writes nothing there', async () => {
    const { issues } = await collect({ name: 'a', local: 'addons', targetPath: '../../../releases/esc' });
    expect(issues).toEqual([
      {
        component: 'a',
        field: ['components', 0, 'targetPath'],
        message: '"../../../releases/esc/install.sh" climbs out with ".."',
        hint: 'write a path relative to the collect output (dist/<project>/collect) that stays inside it: no leading "/" and no ".." segment',
      },
    ]);
    expect(await readdir(projectDir)).toEqual(['addons', 'install.sh']);
    const absolute = await collect({ name: 'a', local: 'addons', targetPath: '/tmp' });
    expect(absolute.issues.map((i) => [i.field, i.message])).toEqual([
      [['components', 0, 'targetPath'], '"/tmp/install.sh" is an absolute path'],
    ]);
  });

  it('collect refuses a local folder or a git path outside their places, before reading them', async () => {
    const local = await collect({ name: 'a', local: '../../../secret' });
    expect(local.issues.map((i) => [i.field, i.message])).toEqual([
      [['components', 0, 'local'], '"../../../secret" climbs out with ".."'],
    ]);
    const url = 'https://git.example.com/b.git';
    const git = await collect(
      { name: 'b', git: { url }, paths: ['charts', '../../etc'] },
      { project: 'esc', components: { b: { git: url, tag: 'v1.0.0', commit: 'a'.repeat(40) } } },
    );
    expect(git.issues.map((i) => [i.field, i.message])).toEqual([
      [['components', 0, 'paths', 1], '"../../etc" climbs out with ".."'],
    ]);
    expect(existsSync(join(ws, 'dist', 'esc', 'collect'))).toBe(false);
  });

  it('collect refuses a chart whose archive name would climb out, after checking its digest, and writes nothing', async () => {
    const charts = join(ws, 'charts');
    await mkdir(charts, { recursive: true });
    const archive = Buffer.from('not really a chart');
    await writeFile(join(charts, 'c-1.0.0.tgz'), archive);
    const served = await serveFolder(charts);
    try {
      const repo = served.url.replace(/\/$/, '');
      const digest = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
      const lock = {
        project: 'esc',
        components: { c: { helm: repo, chart: '../../c', version: '1.0.0', url: `${repo}/c-1.0.0.tgz`, digest } },
      };
      const { issues } = await collect({ name: 'c', helm: { repo, chart: '../../c' } }, lock);
      expect(issues.map((i) => [i.field, i.message])).toEqual([
        [['components', 0, 'helm', 'chart'], '"../../c-1.0.0.tgz" climbs out with ".."'],
      ]);
      expect(existsSync(join(ws, 'dist', 'esc', 'collect'))).toBe(false);
    } finally {
      await served.stop();
    }
  });

  const base: Release = { kind: 'Release', name: 'esc', version: 'v1', bundle: { files: [{ from: 'install.sh' }] } };
  const project = () => ({ name: 'esc', dir: projectDir, file: 'releases/esc/project.yaml', workspaceRoot: ws });
  const plan = (spec: Partial<Release>) => planReleaseBundle(project(), { ...base, ...spec }, []);

  it.each<[string, Partial<Release>, string]>([
    ['version', { version: 'v1/../../../x' }, 'version: "v1/../../../x" climbs out with ".."'],
    ['bundle.name', { bundle: { name: '../{version}' } }, 'bundle.name: "../v1" climbs out with ".."'],
    [
      'bundle.file',
      { bundle: { file: '../../../../tmp/x.tar.gz' } },
      'bundle.file: "../../../../tmp/x.tar.gz" climbs out with ".."',
    ],
    [
      'bundle.file after {version}',
      { version: 'a/b', bundle: { name: 'x', file: '{version}.tar' } },
      'version: "a/b" has a path separator where a plain name is expected',
    ],
    [
      'bundle.images.file',
      { bundle: { images: { file: '/tmp/images.tar' } } },
      'bundle.images.file: "/tmp/images.tar" is an absolute path',
    ],
    [
      'bundle.files[].to',
      { bundle: { files: [{ from: 'install.sh', to: '../../install.sh' }] } },
      'bundle.files[0].to: "../../install.sh" climbs out with ".."',
    ],
    [
      'bundle.files[].from',
      { bundle: { files: [{ from: '../../secret' }] } },
      'bundle.files[0].from: "../../secret" climbs out with ".."',
    ],
    [
      'bundle.files[].url with no file name',
      { bundle: { files: [{ url: 'https://files.example.com/dir/', sha256: 'a'.repeat(64) }] } },
      'bundle.files[0].to: "" names no file or folder',
    ],
    ['name', { name: '../../outside' }, 'name: "../../outside" climbs out with ".."'],
  ])('the bundle plan refuses %s', async (_field, spec, message) => {
    const refused = plan(spec);
    await expect(refused).rejects.toBeInstanceOf(PathEscapeError);
    await expect(refused).rejects.toThrow(message);
  });

  it('the plugin package plan refuses a spec.version that would climb out of dist/<project>/bundle', async () => {
    const plugin: Plugin = {
      kind: 'Plugin',
      name: 'p',
      releaseRegistry: 'r.example.com',
      spec: { version: 'v1/../../../../x', service: { port: 1, image: 'r.example.com/release/compass-plugins-p:v1' } },
    };
    await expect(planPluginBundle({ ...project(), name: 'p' }, plugin)).rejects.toThrow(
      'spec.version: "v1/../../../../x" climbs out with ".."',
    );
  });

  it('writeBundle refuses a member name that climbs out of the archive, and leaves no file', async () => {
    const output = join(ws, 'dist', 'esc', 'bundle', 'esc-v1.tar');
    await expect(
      writeBundle({
        output,
        top: 'esc-v1',
        mtime: 0,
        inventory: Buffer.from('{}\n'),
        items: [{ path: '../../evil.sh', bytes: Buffer.from('x') }],
      }),
    ).rejects.toThrow('bundle member: "../../evil.sh" climbs out with ".."');
    expect(existsSync(output)).toBe(false);
  });

  it('dockyard bundle points at the field when only the engine can tell (a URL with no file name)', async () => {
    const project = await releaseWorkspace(join(ws, 'url-ws'), {
      name: 'url',
      version: 'v1',
      bundle: { files: [{ url: 'https://files.example.com/dir/', sha256: 'a'.repeat(64) }] },
    });
    const run = await dockyard(['bundle', project], {}, project);
    expect(run.stderr).toBe(
      'dockyard bundle: project.yaml:6:7: bundle.files[0].to: "" names no file or folder (write a path relative to the bundle that stays inside it: no leading "/" and no ".." segment)',
    );
    expect(run.exitCode).toBe(1);
  });
});
