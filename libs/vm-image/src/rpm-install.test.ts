import { describe, expect, it } from 'vitest';
import { dnfArguments } from './rpm-install';

describe('dnfArguments', () => {
  it('installs into the tree for the guest arch from the named repositories only, packages sorted once', () => {
    const args = dnfArguments({
      tree: '/w/tree',
      arch: 'arm64',
      releasever: '22.03',
      repositories: [{ url: '/srv/repo' }, { url: 'https://repo.example/os/', gpgkey: 'https://repo.example/KEY' }],
      packages: ['wget', 'tar', 'wget'],
      epoch: 0,
      workDir: '/w',
    });
    expect(args).toContain('--installroot=/w/tree');
    expect(args).toContain('--forcearch=aarch64');
    expect(args).toContain('--setopt=reposdir=/dev/null');
    expect(args).toContain('--repofrompath=dockyard0,file:///srv/repo');
    expect(args).toContain('--setopt=dockyard0.gpgcheck=0');
    expect(args).toContain('--setopt=dockyard1.gpgkey=https://repo.example/KEY');
    expect(args.slice(-3)).toEqual(['install', 'tar', 'wget']);
  });
});
