import { describe, expect, it } from 'vitest';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { releaseSbom, splitImageName } from './sbom';
import type { ReleaseContents } from './subject';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

const contents: ReleaseContents = {
  name: 'demo-v1.0.0',
  version: 'v1.0.0',
  images: [
    {
      name: 'app/multi:v1',
      digest: digest('a'),
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/arm64', 'linux/amd64'],
      location: 'images.tar.gz',
      source: '127.0.0.1:5000/app/multi:v1',
    },
    { name: '127.0.0.1:5000/release/release:v1', digest: digest('b'), platforms: [], location: 'image/release.tar.gz' },
  ],
  sources: [
    { name: 'charts', git: { url: 'https://git.example.com/charts.git', tag: 'v1.2.0', commit: 'c'.repeat(40) } },
    {
      name: 'redis',
      helm: {
        repository: 'https://charts.example.com',
        chart: 'redis',
        version: '19.0.1',
        url: 'https://charts.example.com/redis-19.0.1.tgz',
        digest: digest('d'),
      },
    },
    { name: 'tools', image: { repository: 'example.com/tools', tag: '1.0', digest: digest('e') } },
  ],
  files: [
    { path: 'install.sh', sha256: 'f'.repeat(64) },
    { path: 'tool.tar.gz', sha256: '1'.repeat(64), url: 'https://files.example.com/tool.tar.gz' },
  ],
};

describe('releaseSbom', () => {
  it('is a valid CycloneDX 1.6 document, by the library’s own strict validator', async () => {
    const problems = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(
      releaseSbom(contents).toString(),
    );
    expect(problems).toBeNull();
  });

  it('lists each image with its digest and platforms, each source and each file', () => {
    const bom = JSON.parse(releaseSbom(contents).toString());
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toBeUndefined();
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(bom.metadata.component).toMatchObject({ name: 'demo-v1.0.0', version: 'v1.0.0' });
    const multi = bom.components.find((c: { name: string }) => c.name === 'app/multi');
    expect(multi).toMatchObject({
      type: 'container',
      version: 'v1',
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
    });
    expect(multi.purl).toBe(`pkg:oci/multi@sha256:${'a'.repeat(64)}?repository_url=app%2Fmulti&tag=v1`);
    expect(multi.properties.filter((p: { name: string }) => p.name === 'dockyard:image:platform')).toEqual([
      { name: 'dockyard:image:platform', value: 'linux/amd64' },
      { name: 'dockyard:image:platform', value: 'linux/arm64' },
    ]);
    const git = bom.components.find((c: { name: string }) => c.name === 'charts');
    expect(git.version).toBe('v1.2.0');
    expect(git.externalReferences[0]).toMatchObject({ type: 'vcs', url: 'https://git.example.com/charts.git' });
    const chart = bom.components.find((c: { name: string }) => c.name === 'redis');
    expect(chart).toMatchObject({ version: '19.0.1', hashes: [{ alg: 'SHA-256', content: 'd'.repeat(64) }] });
    expect(chart.externalReferences[0].url).toBe('https://charts.example.com/redis-19.0.1.tgz');
    const download = bom.components.find((c: { name: string }) => c.name === 'tool.tar.gz');
    expect(download).toMatchObject({
      type: 'file',
      externalReferences: [{ url: 'https://files.example.com/tool.tar.gz' }],
    });
    expect(bom.dependencies.find((d: { ref: string }) => d.ref === 'release:demo-v1.0.0').dependsOn).toHaveLength(7);
  });

  it('gives the same bytes whatever the order of its input', () => {
    const shuffled = {
      ...contents,
      images: [...contents.images].reverse(),
      sources: [...contents.sources].reverse(),
      files: [...contents.files].reverse(),
    };
    expect(releaseSbom(shuffled).equals(releaseSbom(contents))).toBe(true);
  });

  it('splits a tag from a name without taking a registry port for one', () => {
    expect(splitImageName('127.0.0.1:5000/app:v1')).toEqual({ repository: '127.0.0.1:5000/app', tag: 'v1' });
    expect(splitImageName('127.0.0.1:5000/app')).toEqual({ repository: '127.0.0.1:5000/app' });
  });
});
