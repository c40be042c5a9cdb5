import { describe, expect, it } from 'vitest';
import { bundleSbom, lockSources } from './bundle-sbom';
import { buildInventory } from './inventory';

describe('bundle SBOM', () => {
  it('reads the lock’s git, helm and image components as sources', () => {
    const sources = lockSources({
      project: 'p',
      components: {
        charts: { git: '/repos/charts.git', tag: 'v1.2.0', commit: 'c'.repeat(40) },
        web: {
          helm: 'http://h/charts',
          chart: 'web',
          version: '1.0.0',
          url: 'http://h/charts/web-1.0.0.tgz',
          digest: 'sha256:ab',
        },
        base: { image: 'r/base', tag: '1' },
      },
    });
    expect(sources).toEqual([
      { name: 'charts', git: { url: '/repos/charts.git', tag: 'v1.2.0', commit: 'c'.repeat(40) } },
      {
        name: 'web',
        helm: {
          repository: 'http://h/charts',
          chart: 'web',
          version: '1.0.0',
          url: 'http://h/charts/web-1.0.0.tgz',
          digest: 'sha256:ab',
        },
      },
      { name: 'base', image: { repository: 'r/base', tag: '1' } },
    ]);
    expect(lockSources(undefined)).toEqual([]);
  });

  it('lists a shipped AppImage once, as an image, not each file of its layout', async () => {
    const app = {
      name: 'r/apps/tiny:1.0.0',
      folder: 'apps/tiny/1.0.0',
      digest: `sha256:${'a'.repeat(64)}`,
      platforms: ['linux/amd64'],
    };
    const sbom = JSON.parse(
      (
        await bundleSbom({
          name: 'rel-v1',
          inventory: buildInventory('rel-v1', [], new Map()),
          appImages: [app],
          files: [
            { path: 'apps/tiny/1.0.0/index.json', bytes: Buffer.from('{}') },
            { path: 'notes.txt', bytes: Buffer.from('hi') },
          ],
        })
      ).toString(),
    ) as { components: { name: string; type: string }[] };
    expect(sbom.components.map((c) => [c.type, c.name])).toEqual([
      ['file', 'notes.txt'],
      ['container', 'r/apps/tiny'],
    ]);
  });
});
