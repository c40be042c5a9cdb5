import { describe, expect, it } from 'vitest';
import { registryAccess, repositoryHost } from './registry-access';

describe('repositoryHost', () => {
  it("reads a repository's host the way Docker does", () => {
    expect(repositoryHost('registry.example.com:5000/a/b')).toBe('registry.example.com:5000');
    expect(repositoryHost('localhost/a')).toBe('localhost');
    expect(repositoryHost('library/nginx')).toBe('docker.io');
    expect(repositoryHost('nginx')).toBe('docker.io');
    expect(repositoryHost('index.docker.io/library/nginx')).toBe('docker.io');
  });
});

describe('registryAccess', () => {
  it('takes an AppImage repository and its publish registries, the first credentials of a host winning', () => {
    const access = registryAccess({
      kind: 'AppImage',
      name: 'nginx',
      versions: ['1.25'],
      repository: 'r.example.com/apps/nginx',
      credentials: { usernameEnv: 'A', passwordEnv: 'B' },
      publish: {
        registries: [
          { repository: 'r.example.com/mirror/nginx', credentials: { usernameEnv: 'C', passwordEnv: 'D' } },
          { repository: 'plain.example.com/nginx', insecure: true },
        ],
      },
    });
    expect(access).toEqual({
      credentials: { 'r.example.com': { usernameEnv: 'A', passwordEnv: 'B' } },
      insecure: ['plain.example.com'],
    });
  });

  it('takes a ContainerImage registries list by host', () => {
    const access = registryAccess({
      kind: 'ContainerImage',
      name: 'os',
      arches: ['amd64'],
      registries: [{ registry: 'a.example.com', repository: 'os/os', insecure: true }],
    });
    expect(access).toEqual({ credentials: {}, insecure: ['a.example.com'] });
  });
});
