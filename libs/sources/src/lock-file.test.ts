import { describe, expect, it } from 'vitest';
import { describeLockChanges, formatLockFile, parseLockFile, type LockFile } from './lock-file';

const lock: LockFile = {
  project: 'demo',
  components: {
    nginx: { helm: 'http://127.0.0.1/charts', chart: 'nginx', version: '15.2.1', url: 'http://127.0.0.1/charts/nginx-15.2.1.tgz', digest: `sha256:${'b'.repeat(64)}` },
    charts: { git: '../repos/charts.git', tag: 'v1.3.0-alpha.6', commit: 'a'.repeat(40) },
  },
};

describe('lock file', () => {
  it('is stable: sorted components, fixed keys, round-trips', () => {
    // Keys handed over in a scrambled order, as a resolver filling entries field by field might.
    const scrambled: LockFile = {
      project: 'demo',
      components: {
        nginx: { digest: `sha256:${'b'.repeat(64)}`, url: 'http://127.0.0.1/charts/nginx-15.2.1.tgz', version: '15.2.1', chart: 'nginx', helm: 'http://127.0.0.1/charts' },
        charts: { commit: 'a'.repeat(40), tag: 'v1.3.0-alpha.6', git: '../repos/charts.git' },
        app: { digest: `sha256:${'c'.repeat(64)}`, tag: 'v1', image: 'r/app' },
      } as LockFile['components'],
    };
    const text = formatLockFile(scrambled);
    expect(text).toBe(
      [
        '# Written by `dockyard resolve`. Review changes in pull requests; do not edit by hand.',
        'lockVersion: 1',
        'project: demo',
        'components:',
        '  app:',
        '    image: r/app',
        '    tag: v1',
        `    digest: sha256:${'c'.repeat(64)}`,
        '  charts:',
        '    git: ../repos/charts.git',
        '    tag: v1.3.0-alpha.6',
        `    commit: ${'a'.repeat(40)}`,
        '  nginx:',
        '    helm: http://127.0.0.1/charts',
        '    chart: nginx',
        '    version: 15.2.1',
        '    url: http://127.0.0.1/charts/nginx-15.2.1.tgz',
        `    digest: sha256:${'b'.repeat(64)}`,
        '',
      ].join('\n'),
    );
    expect(formatLockFile(parseLockFile(text, 'project.lock.yaml'))).toBe(text);
  });

  it('describes changes per component', () => {
    const after: LockFile = { project: 'demo', components: { charts: { ...lock.components.charts, tag: 'v1.3.0', commit: 'c'.repeat(40) } as LockFile['components'][string], app: { image: 'r/app', tag: 'v1' } } };
    expect(describeLockChanges(lock, after)).toEqual([
      '+ app: v1',
      `~ charts: v1.3.0-alpha.6 (${'a'.repeat(12)}) -> v1.3.0 (${'c'.repeat(12)})`,
      `- nginx: removed (was nginx 15.2.1 (sha256:bbbbbbbbbbbb))`,
    ]);
  });

  it('refuses an incomplete entry with the fix', () => {
    expect(() => parseLockFile('lockVersion: 1\nproject: x\ncomponents:\n  a: {git: x}\n', 'p.lock.yaml')).toThrow(/component a is incomplete/);
  });
});
