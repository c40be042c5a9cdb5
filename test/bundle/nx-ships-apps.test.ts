import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace } from '../support/nx-workspace';
import { tasksFromCache, tasksRun } from '../support/nx-output';
import { appImageLayout, appImageYaml, releaseYaml } from '../support/projects';

/** Through Nx: the AppImage a Release ships is built before the Release is bundled, and its build is a bundle input. */
describe('nx run <release>:bundle with ships.appImages', () => {
  let workspace: NxWorkspace;
  const bundle = () =>
    workspace.nx(['run', 'product:bundle', '--output-style=static'], { DOCKYARD_STORE: workspace.path('tmp/store') });
  const carried = async () =>
    JSON.parse(await readFile(workspace.path('dist/product/bundle/inventory.json'), 'utf8')).appImages as {
      folder: string;
      digest: string;
    }[];

  beforeAll(async () => {
    workspace = await NxWorkspace.create('nx-ships-apps', {
      'releases/product/project.yaml': releaseYaml('product', { appImages: ['web'] }),
      'apps/web/project.yaml': appImageYaml('web'),
      ...appImageLayout('apps/web'),
    });
  });
  afterAll(() => workspace?.dispose());

  it('builds the AppImage first, carries its build, and bundles again only when that build changes', async () => {
    const first = await bundle();
    expect(first.exitCode, first.all).toBe(0);
    expect(tasksRun(first.all)).toContain('web:build');
    expect(first.all.indexOf('> nx run web:build')).toBeLessThan(first.all.indexOf('> nx run product:bundle'));
    const listing = (
      await execa('tar', ['-tzf', workspace.path('dist/product/bundle/product-v1.0.0.tar.gz')])
    ).stdout.split('\n');
    expect(listing).toContain('product-v1.0.0/apps/web/1.25.3/index.json');
    const [before] = await carried();
    expect(before?.folder).toBe('apps/web/1.25.3');

    const again = await bundle();
    expect(again.exitCode, again.all).toBe(0);
    expect(tasksFromCache(again.all)).toEqual(expect.arrayContaining(['product:bundle', 'web:build']));

    // A changed Kubefile changes the build, and the build's output is among the bundle's inputs.
    await workspace.write('apps/web/latest/Kubefile', 'FROM scratch\nCOPY manifests manifests\nLABEL changed=yes\n');
    const rebuilt = await bundle();
    expect(rebuilt.exitCode, rebuilt.all).toBe(0);
    expect(tasksFromCache(rebuilt.all)).not.toContain('product:bundle');
    const [after] = await carried();
    expect(after?.digest).not.toBe(before?.digest);
  });
});
