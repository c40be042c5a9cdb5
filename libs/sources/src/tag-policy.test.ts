import { describe, expect, it } from 'vitest';
import { selectTag } from './tag-policy';

const tags = ['v1.0.0', 'v1.2.0', 'v1.3.0-alpha.6', 'v2.0.0-rc.1', 'latest', 'release-2024', 'v1.10.0'];

describe('selectTag', () => {
  it('newest counts pre-releases unless told not to', () => {
    expect(selectTag(tags, { policy: 'newest' }, 'repo')).toBe('v2.0.0-rc.1');
    expect(selectTag(tags, { policy: 'newest', prereleases: false }, 'repo')).toBe('v1.10.0');
  });

  it('a semver range leaves pre-releases out unless asked', () => {
    expect(selectTag(tags, { policy: 'semver', range: '^1.2.0' }, 'repo')).toBe('v1.10.0');
    expect(selectTag(tags, { policy: 'semver', range: '>=1.3.0-0 <2', prereleases: true }, 'repo')).toBe('v1.10.0');
    expect(selectTag(tags, { policy: 'semver', range: '~1.3.0-0', prereleases: true }, 'repo')).toBe('v1.3.0-alpha.6');
  });

  it('regex filters first, then takes the newest', () => {
    expect(selectTag(tags, { policy: 'regex', pattern: '^v1\\.[0-2]\\.' }, 'repo')).toBe('v1.2.0');
    expect(selectTag(tags, { policy: 'regex', pattern: '^release-' }, 'repo')).toBe('release-2024');
  });

  it('pinned must exist', () => {
    expect(selectTag(tags, { policy: 'pinned', value: 'v1.0.0' }, 'repo')).toBe('v1.0.0');
    expect(() => selectTag(tags, { policy: 'pinned', value: 'v9' }, 'repo')).toThrow(/tag v9 does not exist in repo/);
  });

  it('says what matched nothing', () => {
    expect(() => selectTag(tags, { policy: 'semver', range: '^3' }, 'git.example/x')).toThrow(
      /no tag matches "\^3" \(pre-releases excluded.*in git.example\/x/,
    );
    expect(() => selectTag(['main'], { policy: 'newest' }, 'x')).toThrow(/no semver tag in x/);
  });
});
