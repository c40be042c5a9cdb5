import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import appImageGenerator from './app-image/generator';
import cloudImageGenerator from './cloud-image/generator';
import containerImageGenerator from './container-image/generator';
import pluginGenerator from './plugin/generator';
import releaseGenerator from './release/generator';

/** In-memory trees for fast checks; test/nx/generators.test.ts runs the same generators through the real `nx g`. */
describe('Dockyard generators on an in-memory tree', () => {
  it('gives plugins ports 8080, 8081, ... in turn and refuses a name twice', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await pluginGenerator(tree, { name: 'one', releaseRegistry: 'registry.example.com' });
    await pluginGenerator(tree, { name: 'two' });
    const two = parse(tree.read('plugins/two/project.yaml', 'utf8')!);
    expect(two.spec.service).toMatchObject({
      port: 8081,
      image: 'registry.example.com/release/compass-plugins-two:v0.1.0',
    });
    await expect(pluginGenerator(tree, { name: 'two', directory: 'plugins/elsewhere' })).rejects.toThrow(
      'a project named "two" already exists (plugins/two/project.yaml)',
    );
  });

  it('asks for a release registry when no plugin names one yet', async () => {
    await expect(pluginGenerator(createTreeWithEmptyWorkspace(), { name: 'first' })).rejects.toThrow(
      'pass --releaseRegistry',
    );
  });

  it('puts every kind in its default folder and keeps --directory inside the workspace', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await appImageGenerator(tree, { name: 'web', versions: '1.0.0', repository: 'docker.io/labring/web' });
    await containerImageGenerator(tree, { name: 'base', versions: ['24.03-LTS'], registry: '127.0.0.1:5000' });
    await cloudImageGenerator(tree, { name: 'vm', versions: '24.03-LTS' });
    await releaseGenerator(tree, { name: 'product', appImages: 'web' });
    for (const file of [
      'releases/apps/web/project.yaml',
      'releases/apps/web/latest/init.sh',
      'releases/containers/base/project.yaml',
      'releases/cloud/vm/project.yaml',
      'releases/product/project.yaml',
    ]) {
      expect(tree.exists(file), file).toBe(true);
    }
    const base = parse(tree.read('releases/containers/base/project.yaml', 'utf8')!);
    expect(base.registries[0].credentials).toEqual({
      usernameEnv: 'REGISTRY_127_0_0_1_5000_USERNAME',
      passwordEnv: 'REGISTRY_127_0_0_1_5000_PASSWORD',
    });
    await expect(releaseGenerator(tree, { name: 'escape', directory: '../outside' })).rejects.toThrow(
      'must be a folder inside the workspace',
    );
  });
});
