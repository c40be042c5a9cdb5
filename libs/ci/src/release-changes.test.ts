import { describe, expect, it } from 'vitest';
import { imageChanges, summaryMarkdown } from './release-changes';

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('imageChanges and summaryMarkdown', () => {
  it('lists added, removed and moved images, and an unchanged release in one line', () => {
    const before = new Map([
      ['app:1', d('a')],
      ['db:1', d('b')],
      ['old:1', d('c')],
    ]);
    const after = new Map([
      ['app:1', d('a')],
      ['db:1', d('d')],
      ['new:1', d('e')],
    ]);
    const changes = imageChanges(before, after);
    expect(changes).toEqual({
      added: [{ name: 'new:1', digest: d('e') }],
      removed: [{ name: 'old:1', digest: d('c') }],
      moved: [{ name: 'db:1', from: d('b'), to: d('d') }],
    });
    const markdown = summaryMarkdown(
      [
        { project: 'oem', source: 'project.lock.yaml', changes },
        { project: 'quiet', source: 'project.lock.yaml', changes: imageChanges(before, before) },
      ],
      'abc',
      'def',
    );
    expect(markdown).toContain('### oem\n\n1 added, 1 removed, 1 moved (from project.lock.yaml)');
    expect(markdown).toContain('| moved | `db:1` | `sha256:bbbbbbbbbbbb` | `sha256:dddddddddddd` |');
    expect(markdown).toContain('| added | `new:1` | | `sha256:eeeeeeeeeeee` |');
    expect(markdown).toContain('### quiet\n\n0 added, 0 removed, 0 moved (from project.lock.yaml)\n');
    expect(summaryMarkdown([], 'a', 'b')).toContain('No release is affected.');
  });
});
