import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushScaleImages } from '../../bench/scale/images';
import { kindCounts, scaleWorkspace, type ScaleWorkspace } from '../../bench/scale/workspace';
import { dockyard } from '../support/cli';
import { NxWorkspace } from '../support/nx-workspace';
import { startRegistry } from '../support/registry';
import { fetchManifest } from '../support/test-images';

const TARGETS = 'validate,resolve,images,build,bundle';

/**
 * bench/scale's generator at test size (50 projects, 100 images): the workspace validates, and after changes the
 * plan and its shards cover every affected project exactly once. The 500-project run is the bench's, not this.
 */
describe('plan and shard on a generated workspace', () => {
  let workspace: NxWorkspace;
  let generated: ScaleWorkspace;
  const ci = (args: string[]) => dockyard(['ci', ...args], { NX_NO_CLOUD: 'true', NX_DAEMON: 'false' }, workspace.root);

  beforeAll(async () => {
    generated = scaleWorkspace({ projects: 50, images: 100 });
    workspace = await NxWorkspace.create('ci-scale', generated.files);
  });
  afterAll(() => workspace?.dispose());

  it('generates every kind, and the workspace validates', async () => {
    expect(kindCounts(50)).toEqual({ Release: 5, Plugin: 21, AppImage: 18, ContainerImage: 3, CloudImage: 3 });
    expect(kindCounts(500)).toEqual({ Release: 50, Plugin: 220, AppImage: 180, ContainerImage: 25, CloudImage: 25 });
    expect(generated.projects).toHaveLength(50);
    expect(generated.images).toHaveLength(100);
    const validated = await dockyard(['validate'], {}, workspace.root);
    expect(validated.exitCode, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain('50 projects checked, 0 problems');
  });

  async function planAndShard(base: string, shards: number) {
    const planned = await ci(['plan', '--base', base, '--head', 'HEAD', '--target', TARGETS, '--out', 'plan.json']);
    expect(planned.exitCode, planned.stderr).toBe(0);
    const plan = JSON.parse(await readFile(workspace.path('plan.json'), 'utf8')) as {
      targets: Record<string, string[]>;
      projects: string[];
    };
    const sharded = await ci(['shard', '--plan', 'plan.json', '--shards', String(shards)]);
    expect(sharded.exitCode, sharded.stderr).toBe(0);
    const matrix = JSON.parse(sharded.stdout) as { include: { shard: number; projects: string }[] };
    const assigned = matrix.include.flatMap((entry) => entry.projects.split(','));
    // Every affected project once: no duplicates, nothing left out, nothing extra.
    expect(assigned.length).toBe(new Set(assigned).size);
    expect([...assigned].sort()).toEqual(plan.projects);
    expect(plan.projects).toEqual([...new Set(Object.values(plan.targets).flat())].sort());
    expect(matrix.include.length).toBe(Math.min(shards, plan.projects.length));
    return { plan, matrix };
  }

  it('one changed plugin and one changed app: them and the Releases that ship them, each in one shard', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    const plugin = generated.projects.find((p) => p.kind === 'Plugin')!;
    const app = generated.projects.find(
      (p) => p.kind === 'AppImage' && generated.shippedBy.get(p.name) !== generated.shippedBy.get(plugin.name),
    )!;
    const file = `${plugin.root}/project.yaml`;
    await workspace.write(
      file,
      generated.files[file]!.replace('description: synthetic plugin 0', 'description: changed'),
    );
    await workspace.write(`${app.root}/latest/Kubefile`, 'FROM scratch\nCOPY manifests manifests/\n');
    await workspace.commit('one plugin, one app');
    const { plan } = await planAndShard(base, 4);
    expect(plan.projects).toEqual(
      [plugin.name, app.name, generated.shippedBy.get(plugin.name)!, generated.shippedBy.get(app.name)!].sort(),
    );
  });

  it('every plugin changed: dozens of projects over 4 shards, still each exactly once', async () => {
    const base = await workspace.git('rev-parse', 'HEAD');
    for (const plugin of generated.projects.filter((p) => p.kind === 'Plugin'))
      await workspace.write(`${plugin.root}/README.md`, `# ${plugin.name}\n`);
    await workspace.commit('document every plugin');
    const { plan, matrix } = await planAndShard(base, 4);
    const plugins = generated.projects.filter((p) => p.kind === 'Plugin').map((p) => p.name);
    const releases = generated.projects.filter((p) => p.kind === 'Release').map((p) => p.name);
    expect(plan.projects).toEqual([...plugins, ...releases].sort());
    expect(matrix.include).toHaveLength(4);
  });

  it('pushes the images the Releases list: single images and every fourth an index, sharing base layers', async () => {
    const registry = await startRegistry();
    try {
      expect(await pushScaleImages(registry.url, 8)).toEqual({ multiArch: 2 });
      const single = await fetchManifest({ base: registry.url }, 'bench/img-0000', 'v1');
      const index = await fetchManifest({ base: registry.url }, 'bench/img-0003', 'v1');
      expect(JSON.parse(single!.bytes.toString()).layers).toHaveLength(2);
      expect(JSON.parse(index!.bytes.toString()).manifests).toHaveLength(2);
    } finally {
      await registry.stop();
    }
  });
});
