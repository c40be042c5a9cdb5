import { describe, expect, it } from 'vitest';
import { formatReference, parseReference } from './reference';

describe('parseReference', () => {
  it('normalizes like docker', () => {
    expect(parseReference('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: undefined });
    expect(parseReference('bitnami/nginx:1.25')).toMatchObject({ registry: 'docker.io', repository: 'bitnami/nginx', tag: '1.25' });
    expect(parseReference('127.0.0.1:5000/release/app')).toMatchObject({ registry: '127.0.0.1:5000', repository: 'release/app', tag: 'latest' });
    expect(parseReference('localhost/app:v1')).toMatchObject({ registry: 'localhost', repository: 'app', tag: 'v1' });
  });

  it('keeps tag and digest together', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const ref = parseReference(`harbor.example.com/release/app:v1@${digest}`);
    expect(ref).toEqual({ registry: 'harbor.example.com', repository: 'release/app', tag: 'v1', digest });
    expect(formatReference(ref)).toBe(`harbor.example.com/release/app:v1@${digest}`);
    expect(parseReference(`app@${digest}`).tag).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(() => parseReference('Release/App:v1')).toThrow(/"App" must be lower-case/);
    expect(() => parseReference('app@sha256:zz')).toThrow(/is not a digest/);
    expect(() => parseReference('')).toThrow(/empty/);
  });
});
