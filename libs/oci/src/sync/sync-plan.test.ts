import { describe, expect, it } from 'vitest';
import { parseImageList } from './image-list';
import { planSync } from './sync-plan';

describe('planSync', () => {
  const entries = parseImageList(
    '# platform images\n\nrelease/app-admin:v0.3.17\nrelease/app-admin:v0.3.17\nlibrary/busybox:1.36 # base\n',
    'images_platform.list',
  );

  it('skips comments and blanks, keeping each line number', () => {
    expect(entries.map((e) => [e.image, e.line])).toEqual([
      ['release/app-admin:v0.3.17', 3],
      ['release/app-admin:v0.3.17', 4],
      ['library/busybox:1.36', 5],
    ]);
  });

  it('skips duplicates: an image listed twice is copied once, from its first line', () => {
    const jobs = planSync(entries, 'cargo.example.com', ['harbor.example.com'], []);
    expect(jobs.map((job) => [job.path, job.entry.line])).toEqual([
      ['release/app-admin:v0.3.17', 3],
      ['library/busybox:1.36', 5],
    ]);
  });

  it('rewrites the source path only, and writes the list name at every target', () => {
    const jobs = planSync(
      entries,
      'cargo.example.com',
      ['harbor.example.com', 'mirror.example.com/offline', 'registry-dir:/tmp/payload'],
      [{ from: 'release/', to: 'devops_release/' }],
    );
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.source).toMatchObject({
      registry: 'cargo.example.com',
      repository: 'devops_release/app-admin',
      tag: 'v0.3.17',
    });
    expect(jobs[0]!.targets).toEqual([
      {
        transport: 'docker',
        ref: expect.objectContaining({
          registry: 'harbor.example.com',
          repository: 'release/app-admin',
          tag: 'v0.3.17',
        }),
      },
      {
        transport: 'docker',
        ref: expect.objectContaining({ registry: 'mirror.example.com', repository: 'offline/release/app-admin' }),
      },
      { transport: 'registry-dir', dir: '/tmp/payload', repository: 'release/app-admin', tag: 'v0.3.17' },
    ]);
  });

  it('uses the host written in a line when no source registry is given, and names the line otherwise', () => {
    expect(
      planSync(parseImageList('cargo.example.com/release/x:v1\n', 'a.list'), undefined, ['h.example.com'], [])[0]!
        .source.registry,
    ).toBe('cargo.example.com');
    expect(() => planSync(parseImageList('release/x:v1\n', 'a.list'), undefined, ['h.example.com'], [])).toThrow(
      expect.objectContaining({
        message: 'a.list:1: "release/x:v1" names no registry',
        code: 'SYNC_SOURCE_REGISTRY_MISSING',
        hint: 'write the host in the list, or name the registry to read from',
      }),
    );
  });
});
