import { describe, expect, it } from 'vitest';
import { objectKey, parseObjectStoreUrl, resolveObjectStore } from './object-store';

describe('object stores', () => {
  it('parses s3:// and oss:// URLs into bucket and prefix', () => {
    expect(parseObjectStoreUrl('oss://infra-release/platform/plugins/')).toEqual({
      scheme: 'oss',
      bucket: 'infra-release',
      prefix: 'platform/plugins',
    });
    expect(objectKey(parseObjectStoreUrl('s3://bkt'), 'compass-plugins-x', 'f.tar.gz')).toBe(
      'compass-plugins-x/f.tar.gz',
    );
    expect(() => parseObjectStoreUrl('https://b/p')).toThrow(/s3:\/\/BUCKET\/PREFIX/);
  });

  it('names a missing credential variable, never a value, before anything is uploaded', () => {
    const target = { url: 's3://bkt/p', credentials: { accessKeyIdEnv: 'KEY_ID', secretAccessKeyEnv: 'SECRET' } };
    expect(() =>
      resolveObjectStore(target, { KEY_ID: 'AKIA-visible-would-be-bad' }, 'p.yaml:publish.objectStore[0]'),
    ).toThrow('p.yaml:publish.objectStore[0]: environment variable SECRET is not set');
    try {
      resolveObjectStore(target, { KEY_ID: 'AKIA-visible-would-be-bad' }, 'x');
    } catch (err) {
      expect((err as Error).message).not.toContain('AKIA');
    }
    expect(resolveObjectStore(target, { KEY_ID: 'k', SECRET: 's' }, 'x').credentials).toEqual({
      accessKeyId: 'k',
      secretAccessKey: 's',
    });
  });

  it('gives OSS its regional endpoint unless one is set', () => {
    expect(resolveObjectStore({ url: 'oss://bkt', region: 'oss-cn-beijing' }, {}, 'x').endpoint).toBe(
      'https://oss-cn-beijing.aliyuncs.com',
    );
    expect(
      resolveObjectStore({ url: 's3://bkt', endpoint: 'http://127.0.0.1:9000', pathStyle: true }, {}, 'x'),
    ).toMatchObject({ endpoint: 'http://127.0.0.1:9000', pathStyle: true });
  });
});
