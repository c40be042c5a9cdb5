import { describe, expect, it } from 'vitest';
import { releaseProvenance } from './provenance';
import { releaseSbom } from './sbom';
import { readReleaseContents } from './sbom-read';
import type { ReleaseContents } from './subject';

const contents: ReleaseContents = {
  name: 'shop-v1.0.0',
  version: 'v1.0.0',
  images: [
    {
      name: 'app/multi:v1',
      digest: `sha256:${'a'.repeat(64)}`,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64'],
      location: 'images.tar.gz',
      source: '127.0.0.1:5000/app/multi:v1',
    },
  ],
  sources: [
    { name: 'tools', git: { url: '/repos/tools.git', tag: 'v0.2.0', commit: 'c'.repeat(40) } },
    {
      name: 'web',
      helm: {
        repository: 'http://h/charts',
        chart: 'web',
        version: '1.0.0',
        url: 'http://h/charts/web-1.0.0.tgz',
        digest: `sha256:${'d'.repeat(64)}`,
      },
    },
  ],
  files: [{ path: 'tool.bin', sha256: 'e'.repeat(64), url: 'http://files/tool.bin' }],
  definition: [
    { path: 'releases/shop/project.lock.yaml', sha256: '2'.repeat(64) },
    { path: 'releases/shop/project.yaml', sha256: '1'.repeat(64) },
  ],
};

describe('release provenance', () => {
  it('reads back from the SBOM what the SBOM was written from', () => {
    expect(readReleaseContents(releaseSbom(contents), 'sbom.cdx.json')).toEqual(contents);
  });

  it('is an in-toto statement with a SLSA v1 predicate: the subject, builder and every material', () => {
    const statement = releaseProvenance({ name: 'shop-v1.0.0.tar.gz', sha256: 'f'.repeat(64) }, contents);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([{ name: 'shop-v1.0.0.tar.gz', digest: { sha256: 'f'.repeat(64) } }]);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    const { buildDefinition, runDetails } = statement.predicate;
    expect(runDetails.builder.version.dockyard).toMatch(/^\d+\.\d+\.\d+/);
    expect(buildDefinition.externalParameters).toEqual({
      release: 'shop-v1.0.0',
      version: 'v1.0.0',
      definition: ['releases/shop/project.lock.yaml', 'releases/shop/project.yaml'],
    });
    expect(buildDefinition.resolvedDependencies).toEqual([
      { name: 'releases/shop/project.lock.yaml', digest: { sha256: '2'.repeat(64) } },
      { name: 'releases/shop/project.yaml', digest: { sha256: '1'.repeat(64) } },
      { name: 'tools', uri: 'git+/repos/tools.git@refs/tags/v0.2.0', digest: { gitCommit: 'c'.repeat(40) } },
      {
        name: 'web',
        uri: 'http://h/charts/web-1.0.0.tgz',
        digest: { sha256: 'd'.repeat(64) },
        annotations: { chart: 'web', version: '1.0.0', repository: 'http://h/charts' },
      },
      {
        name: 'app/multi:v1',
        uri: `pkg:oci/multi@sha256:${'a'.repeat(64)}?repository_url=app%2Fmulti&tag=v1`,
        digest: { sha256: 'a'.repeat(64) },
        annotations: { platforms: ['linux/amd64', 'linux/arm64'], location: 'images.tar.gz' },
      },
      { name: 'tool.bin', uri: 'http://files/tool.bin', digest: { sha256: 'e'.repeat(64) } },
    ]);
  });
});
