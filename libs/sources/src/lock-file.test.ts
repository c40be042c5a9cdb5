import { describe, expect, it } from 'vitest';
import { describeLockChanges, formatLockFile, parseLockFile, type LockFile } from './lock-file';

const lock: LockFile = {
  project: 'demo',
  components: {
    nginx: {
      helm: 'http://127.0.0.1/charts',
      chart: 'nginx',
      version: '15.2.1',
      url: 'http://127.0.0.1/charts/nginx-15.2.1.tgz',
      digest: `sha256:${'b'.repeat(64)}`,
    },
    charts: { git: '../repos/charts.git', tag: 'v1.3.0-alpha.6', commit: 'a'.repeat(40) },
  },
};

describe('lock file', () => {
  it('is stable: sorted components, fixed keys, round-trips', () => {
    // Keys handed over in a scrambled order, as a resolver filling entries field by field might.
    const scrambled: LockFile = {
      project: 'demo',
      components: {
        nginx: {
          digest: `sha256:${'b'.repeat(64)}`,
          url: 'http://127.0.0.1/charts/nginx-15.2.1.tgz',
          version: '15.2.1',
          chart: 'nginx',
          helm: 'http://127.0.0.1/charts',
        },
        charts: { commit: 'a'.repeat(40), tag: 'v1.3.0-alpha.6', git: '../repos/charts.git' },
        app: { digest: `sha256:${'c'.repeat(64)}`, tag: 'v1', image: 'r/app' },
      } as LockFile['components'],
    };
    const text = formatLockFile(scrambled);
    expect(text).toBe(
      [
        '# Written by `dockyard resolve`. Review changes in pull requests; do not edit by hand.',
        'lockVersion: 2',
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
    const after: LockFile = {
      project: 'demo',
      components: {
        charts: { ...lock.components.charts, tag: 'v1.3.0', commit: 'c'.repeat(40) } as LockFile['components'][string],
        app: { image: 'r/app', tag: 'v1' },
      },
    };
    expect(describeLockChanges(lock, after)).toEqual([
      '+ app: v1',
      `~ charts: v1.3.0-alpha.6 (${'a'.repeat(12)}) -> v1.3.0 (${'c'.repeat(12)})`,
      `- nginx: removed (was nginx 15.2.1 (sha256:bbbbbbbbbbbb))`,
    ]);
  });

  it('refuses an incomplete entry with the fix', () => {
    expect(() => parseLockFile('lockVersion: 1\nproject: x\ncomponents:\n  a: {git: x}\n', 'p.lock.yaml')).toThrow(
      /component a is incomplete/,
    );
    expect(() =>
      parseLockFile('lockVersion: 2\nproject: x\nimages:\n  a:v1: {source: r/a:v1, digest: latest}\n', 'p.lock.yaml'),
    ).toThrow(/image a:v1 is incomplete \(it needs source and a sha256 digest\)/);
  });

  const one = `sha256:${'1'.repeat(64)}`;
  const two = `sha256:${'2'.repeat(64)}`;
  const pinned: LockFile = {
    project: 'demo',
    components: {},
    images: {
      'release/b:v1': { digest: two, source: 'reg.local:5000/devops_release/b:v1' },
      '127.0.0.1:5000/a:v1': { source: '127.0.0.1:5000/a:v1', digest: one },
    },
  };

  it('pins images sorted by name, source before digest, and leaves out an empty components section', () => {
    const text = formatLockFile(pinned);
    expect(text.split('\n').slice(1)).toEqual([
      'lockVersion: 2',
      'project: demo',
      'images:',
      '  127.0.0.1:5000/a:v1:',
      '    source: 127.0.0.1:5000/a:v1',
      `    digest: ${one}`,
      '  release/b:v1:',
      '    source: reg.local:5000/devops_release/b:v1',
      `    digest: ${two}`,
      '',
    ]);
    expect(parseLockFile(text, 'p.lock.yaml')).toEqual(pinned);
  });

  it('names a moved tag old → new, and images added, removed or read elsewhere', () => {
    const after: LockFile = {
      project: 'demo',
      components: {},
      images: {
        '127.0.0.1:5000/a:v1': { source: '127.0.0.1:5000/a:v1', digest: two },
        'release/b:v1': { source: 'other.local/release/b:v1', digest: two },
        'release/c:v2': { source: 'other.local/release/c:v2', digest: one },
      },
    };
    expect(describeLockChanges(pinned, after)).toEqual([
      `~ image 127.0.0.1:5000/a:v1: ${one} → ${two}`,
      '~ image release/b:v1: read from reg.local:5000/devops_release/b:v1 → other.local/release/b:v1',
      `+ image release/c:v2: ${one}`,
    ]);
    expect(describeLockChanges(after, { ...after, images: {} })).toContain(
      `- image release/c:v2: removed (was ${one})`,
    );
  });

  it('still reads a version-1 lock, which pins no image, and refuses an unknown version with the fix', () => {
    const v1 = parseLockFile(
      `lockVersion: 1\nproject: demo\ncomponents:\n  charts: {git: x, tag: v1, commit: ${'a'.repeat(40)}}\n`,
      'p.lock.yaml',
    );
    expect(v1.components.charts).toEqual({ git: 'x', tag: 'v1', commit: 'a'.repeat(40) });
    expect(v1.images).toEqual({});
    expect(() => parseLockFile('lockVersion: 3\nproject: x\n', 'p.lock.yaml')).toThrow(
      'p.lock.yaml has lockVersion 3, this dockyard reads 1 and 2',
    );
  });
});
