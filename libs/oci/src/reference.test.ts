import { describe, expect, it } from 'vitest';
import {
  checkReference,
  formatReference,
  formatWithoutRegistry,
  namesRegistry,
  parseOptionalRegistryReference,
  parseReference,
  parseRepositoryReference,
} from './reference';

const normalise = (text: string) => {
  const checked = checkReference(text);
  return checked.ok ? formatReference(checked.ref) : `invalid: ${checked.reason}`;
};

describe('parseReference', () => {
  it('normalises like docker', () => {
    expect(parseReference('nginx')).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: 'latest',
      digest: undefined,
    });
    expect(parseReference('bitnami/nginx:1.25')).toMatchObject({
      registry: 'docker.io',
      repository: 'bitnami/nginx',
      tag: '1.25',
    });
    expect(parseReference('127.0.0.1:5000/release/app')).toMatchObject({
      registry: '127.0.0.1:5000',
      repository: 'release/app',
      tag: 'latest',
    });
    expect(parseReference('localhost/app:v1')).toMatchObject({ registry: 'localhost', repository: 'app', tag: 'v1' });
    expect(normalise('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalise('nginx:1.25')).toBe('docker.io/library/nginx:1.25');
    expect(normalise('bitnami/redis:7.2')).toBe('docker.io/bitnami/redis:7.2');
    expect(normalise('index.docker.io/acme/app:1')).toBe('docker.io/acme/app:1');
    expect(normalise('docker.io/nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalise('localhost/app')).toBe('localhost/app:latest');
    expect(normalise('127.0.0.1:5000/release/app-admin:v0.3.17')).toBe('127.0.0.1:5000/release/app-admin:v0.3.17');
    expect(normalise('quay.io/prometheus/prometheus:v2.48.0')).toBe('quay.io/prometheus/prometheus:v2.48.0');
  });

  it('keeps tag and digest together, and adds no tag to a digest-only reference', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const ref = parseReference(`harbor.example.com/release/app:v1@${digest}`);
    expect(ref).toEqual({ registry: 'harbor.example.com', repository: 'release/app', tag: 'v1', digest });
    expect(formatReference(ref)).toBe(`harbor.example.com/release/app:v1@${digest}`);
    expect(parseReference(`app@${digest}`).tag).toBeUndefined();
    expect(normalise(`nginx:1.25@${digest}`)).toBe(`docker.io/library/nginx:1.25@${digest}`);
    expect(normalise(`gcr.io/x/y@${digest}`)).toBe(`gcr.io/x/y@${digest}`);
  });

  it('refuses what docker refuses, and says why', () => {
    expect(() => parseReference('Release/App:v1')).toThrow(
      /invalid image reference "Release\/App:v1": .*component "App" must be lower-case/,
    );
    expect(() => parseReference('app@sha256:zz')).toThrow(/invalid digest "sha256:zz"/);
    expect(() => parseReference('')).toThrow(/empty/);
    expect(normalise('')).toMatch(/invalid: empty/);
    expect(normalise('Nginx')).toMatch(/invalid repository/);
    expect(normalise('nginx:')).toMatch(/invalid tag/);
    expect(normalise('nginx@sha256:short')).toMatch(/invalid digest/);
    expect(normalise('https://example.com/x')).toMatch(/invalid/);
    expect(normalise('{{ .Values.image }}')).toMatch(/invalid/);
  });

  it('formats without the registry host for images_platform.list', () => {
    expect(formatWithoutRegistry(parseReference('harbor.example.com/release/app-admin:v0.3.17'))).toBe(
      'release/app-admin:v0.3.17',
    );
  });
});

describe('references that may leave the registry out', () => {
  it.each([
    ['harbor.example.com/release/app', true],
    ['127.0.0.1:5000/app', true],
    ['localhost/app', true],
    ['MyHost/app', true],
    ['release/app', false],
    ['app', false],
  ])('%s names a registry: %s', (name, expected) => {
    expect(namesRegistry(name)).toBe(expected);
  });

  it('keeps a registry-less path as it is, with no Docker Hub default and no placeholder host', () => {
    expect(parseOptionalRegistryReference('release/app:v1')).toEqual({
      repository: 'release/app',
      tag: 'v1',
      digest: undefined,
    });
    expect(parseOptionalRegistryReference('app')).toEqual({ repository: 'app', tag: 'latest', digest: undefined });
    expect(parseOptionalRegistryReference('Host.example/app:v1')).toMatchObject({
      registry: 'Host.example',
      repository: 'app',
    });
  });

  it('reads a registry-storage name as a repository even when its first part looks like a host', () => {
    expect(parseRepositoryReference('a.b/c:v2')).toEqual({ repository: 'a.b/c', tag: 'v2', digest: undefined });
  });
});
