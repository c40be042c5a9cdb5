import { describe, expect, it } from 'vitest';
import { formatReference, formatWithoutRegistry, parseReference } from './reference';

const normalise = (text: string) => {
  const parsed = parseReference(text);
  return parsed.ok ? formatReference(parsed.ref) : `invalid: ${parsed.reason}`;
};

describe('parseReference', () => {
  it('normalises like docker', () => {
    expect(normalise('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalise('nginx:1.25')).toBe('docker.io/library/nginx:1.25');
    expect(normalise('bitnami/redis:7.2')).toBe('docker.io/bitnami/redis:7.2');
    expect(normalise('index.docker.io/acme/app:1')).toBe('docker.io/acme/app:1');
    expect(normalise('docker.io/nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalise('localhost/app')).toBe('localhost/app:latest');
    expect(normalise('127.0.0.1:5000/release/app-admin:v0.3.17')).toBe('127.0.0.1:5000/release/app-admin:v0.3.17');
    expect(normalise('quay.io/prometheus/prometheus:v2.48.0')).toBe('quay.io/prometheus/prometheus:v2.48.0');
  });

  it('keeps tag and digest both, and adds no tag to a digest-only reference', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(normalise(`nginx:1.25@${digest}`)).toBe(`docker.io/library/nginx:1.25@${digest}`);
    expect(normalise(`gcr.io/x/y@${digest}`)).toBe(`gcr.io/x/y@${digest}`);
  });

  it('refuses what docker refuses', () => {
    expect(normalise('')).toMatch(/invalid/);
    expect(normalise('Nginx')).toMatch(/invalid repository/);
    expect(normalise('nginx:')).toMatch(/invalid tag/);
    expect(normalise('nginx@sha256:short')).toMatch(/invalid digest/);
    expect(normalise('https://example.com/x')).toMatch(/invalid/);
    expect(normalise('{{ .Values.image }}')).toMatch(/invalid/);
  });

  it('formats without the registry host for images_platform.list', () => {
    const parsed = parseReference('harbor.example.com/release/app-admin:v0.3.17');
    expect(parsed.ok && formatWithoutRegistry(parsed.ref)).toBe('release/app-admin:v0.3.17');
  });
});
