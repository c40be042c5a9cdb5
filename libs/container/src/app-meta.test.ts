import { describe, expect, it } from 'vitest';
import { appImageTags, metaForDockerfiles, parseMeta } from './app-meta';

const meta = `
1.9.2-oe2203sp3:
  path: 1.9.2/22.03-lts-sp3/Dockerfile
1.10.0-oe2203lts:
  path: 1.10.0/22.03-lts/Dockerfile
  arch: x86_64
1.10.0-oe2203sp3:
  path: 1.10.0/22.03-lts-sp3/Dockerfile
`;

describe('meta.yml', () => {
  it('reads tag, Dockerfile, app and OS version and the optional arch of each image', () => {
    const entries = parseMeta(meta, 'meta.yml');
    expect(entries.map((e) => [e.tag, e.appVersion, e.osVersion, e.arch])).toEqual([
      ['1.9.2-oe2203sp3', '1.9.2', '22.03-lts-sp3', undefined],
      ['1.10.0-oe2203lts', '1.10.0', '22.03-lts', 'amd64'],
      ['1.10.0-oe2203sp3', '1.10.0', '22.03-lts-sp3', undefined],
    ]);
  });

  it('gives latest to the highest app version, on its highest OS version', () => {
    const tags = appImageTags(parseMeta(meta, 'meta.yml'));
    expect([...tags.values()]).toEqual([['1.9.2-oe2203sp3'], ['1.10.0-oe2203lts'], ['1.10.0-oe2203sp3', 'latest']]);
    expect([...appImageTags(parseMeta(meta, 'meta.yml'), false).values()].flat()).not.toContain('latest');
  });

  it('names the file and the tag of a malformed entry', () => {
    expect(() => parseMeta('v1:\n  path: Dockerfile\n', 'apps/x/meta.yml')).toThrow(
      'apps/x/meta.yml: v1.path must be <app-version>/<os-version>/Dockerfile',
    );
    expect(() => parseMeta('v1:\n  path: 1/22.03-lts/Dockerfile\n  arch: sparc\n', 'm.yml')).toThrow(
      'm.yml: v1.arch: arch "sparc"',
    );
  });

  it('writes default tags for a tree of Dockerfiles', () => {
    expect(
      metaForDockerfiles('/t/redis', ['/t/redis/7.2.4/24.03-lts/Dockerfile', '/t/redis/6.2/22.03-lts-sp3/Dockerfile']),
    ).toEqual({
      '7.2.4-oe2403lts': { path: '7.2.4/24.03-lts/Dockerfile' },
      '6.2-oe2203sp3': { path: '6.2/22.03-lts-sp3/Dockerfile' },
    });
  });
});
