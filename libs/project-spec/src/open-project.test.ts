import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockyardError } from '@dockyard/errors';
import { isKind, openProject } from './open-project';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dockyard-open-'));
  writeFileSync(join(root, 'nx.json'), '{}');
  const files: Record<string, string> = {
    'releases/shop/project.yaml': [
      'kind: Release',
      'name: shop',
      'version: v1',
      'sync:',
      '  from: { registry: src.example.com, credentials: { usernameEnv: SRC_USER, passwordEnv: SRC_PASSWORD } }',
      '  to:',
      '    - { registry: "dst.example.com:5000", insecure: true }',
      'build: { image: "build.example.com/shop/release:{version}", credentials: { dockerConfig: auth.json } }',
      'publish:',
      '  oci:',
      '    - { repository: dst.example.com:5000/bundles/shop, credentials: { usernameEnv: OTHER, passwordEnv: OTHER_PW } }',
      '',
    ].join('\n'),
    'plugins/logs/project.yaml':
      'kind: Plugin\nname: logs\nreleaseRegistry: r.example.com\nspec:\n  version: v1.0.0\n  service: { port: 8090, image: r.example.com/release/compass-plugins-logs:v1.0.0 }\n',
    'releases/broken/project.yaml': 'kind: Release\nname: broken\nversion: 1\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err as DockyardError,
  );

describe('openProject', () => {
  it('opens a project by its folder, its project.yaml or its name, from anywhere in the workspace', async () => {
    const inside = join(root, 'plugins');
    for (const [arg, cwd] of [
      ['releases/shop', root],
      ['releases/shop/project.yaml', root],
      ['shop', root],
      ['shop', inside],
      ['../releases/shop', inside],
      [undefined, join(root, 'releases', 'shop')],
    ] as const) {
      const project = await openProject(arg, cwd);
      expect(project.spec.name, String(arg)).toBe('shop');
      expect(project.dir).toBe(join(root, 'releases', 'shop'));
      expect(project.workspaceRoot).toBe(root);
    }
    expect((await openProject('shop', inside)).file).toBe('../releases/shop/project.yaml');
  });

  it('gives every output path under dist/<name>', async () => {
    const { outputs } = await openProject('shop', root);
    expect(outputs.collect).toBe(join(root, 'dist/shop/collect'));
    expect(outputs.imagesList).toBe(join(root, 'dist/shop/images/images.list'));
    expect(outputs.bundle).toBe(join(root, 'dist/shop/bundle'));
    expect(outputs.sync).toBe(join(root, 'dist/shop/sync'));
    expect(outputs.releaseImage).toBe(join(root, 'dist/shop/release-image'));
    expect(outputs.appImagesList('1.0', 'arm64')).toBe(join(root, 'dist/shop/images/1.0/arm64/images.list'));
  });

  it('gives credentials and insecure hosts by registry host, from every section that names one', async () => {
    const { registries } = await openProject('shop', root);
    expect(registries.credentials).toEqual({
      'src.example.com': { usernameEnv: 'SRC_USER', passwordEnv: 'SRC_PASSWORD' },
      'build.example.com': { dockerConfig: 'auth.json' },
      'dst.example.com:5000': { usernameEnv: 'OTHER', passwordEnv: 'OTHER_PW' },
    });
    expect(registries.insecure).toEqual(['dst.example.com:5000']);
  });

  it('names what it looked for when nothing matches', async () => {
    const byName = await failure(openProject('nosuch', root));
    expect(byName).toBeInstanceOf(DockyardError);
    expect(byName!.code).toBe('PROJECT_NOT_FOUND');
    expect(byName!.message).toBe(`nosuch: no such file, and no project named "nosuch" in the workspace at ${root}`);
    const byPath = await failure(openProject('releases/nosuch', root));
    expect(byPath!.message).toBe('releases/nosuch: no such file');
    const folder = await failure(openProject('releases', root));
    expect(folder!.message).toBe('releases/project.yaml: no such file');
    const outside = mkdtempSync(join(tmpdir(), 'dockyard-open-outside-'));
    try {
      const lost = await failure(openProject('shop', outside));
      expect(lost!.message).toBe(
        `shop: no such file, and no workspace (nx.json) around ${outside} to look the name "shop" up in`,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses an invalid project with every problem at its line, and a project of another kind', async () => {
    const invalid = await failure(openProject('releases/broken', root));
    expect(invalid!.code).toBe('PROJECT_INVALID');
    expect(invalid!.message).toBe(
      'releases/broken/project.yaml:3:10: version: must be string, got number (write a string here)',
    );
    const kind = await failure(openProject('logs', root, ['Release', 'AppImage']));
    expect(kind!.code).toBe('PROJECT_KIND');
    expect(kind!.message).toBe('plugins/logs/project.yaml: logs is a Plugin; this works on Release, AppImage projects');
    const plugin = await openProject('logs', root, ['Plugin']);
    expect(isKind(plugin, 'Plugin') && plugin.spec.spec.service.port).toBe(8090);
  });
});
