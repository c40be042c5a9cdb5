import semver from 'semver';
import type { TagPolicy } from '@dockyard/project-spec';
import { SourceError } from './source-error';

/**
 * Picks one tag from `tags` by policy. `newest` counts pre-releases (as `make update-tag` did)
 * unless `prereleases: false`; a semver range leaves them out unless `prereleases: true`.
 * Tags that are not semver (`latest`, `main-abc123`) never win `newest` or a range.
 */
export function selectTag(tags: string[], policy: TagPolicy, where: string): string {
  switch (policy.policy) {
    case 'pinned': {
      if (!policy.value) throw new SourceError('a pinned tag policy needs a value', 'add `value: v1.2.3`');
      if (!tags.includes(policy.value)) {
        throw new SourceError(
          `tag ${policy.value} does not exist in ${where}`,
          `pick one of: ${newestFirst(tags, true).slice(0, 5).join(', ') || '(no tags)'}`,
        );
      }
      return policy.value;
    }
    case 'newest':
      return first(newestFirst(tags, policy.prereleases ?? true), where, 'no semver tag');
    case 'semver': {
      const range = policy.range ?? '*';
      if (!semver.validRange(range, { loose: true }))
        throw new SourceError(`"${range}" is not a semver range`, 'write a range such as "^1.2.0" or ">=1.0 <2"');
      const includePrerelease = policy.prereleases ?? false;
      const matching = newestFirst(tags, includePrerelease).filter((t) =>
        semver.satisfies(versionOf(t)!, range, { includePrerelease, loose: true }),
      );
      return first(
        matching,
        where,
        `no tag matches "${range}"${includePrerelease ? '' : ' (pre-releases excluded; set prereleases: true to count them)'}`,
      );
    }
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(policy.pattern ?? '');
      } catch (err) {
        throw new SourceError(
          `invalid tag pattern: ${(err as Error).message}`,
          'fix the regular expression',
          undefined,
          err,
        );
      }
      const matching = tags.filter((t) => pattern.test(t));
      const bySemver = newestFirst(matching, policy.prereleases ?? true);
      const picked = bySemver[0] ?? [...matching].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))[0];
      return first(picked ? [picked] : [], where, `no tag matches /${policy.pattern}/`);
    }
  }
}

/** A tag satisfies a policy when the policy would pick it from a list holding only that tag. */
export function tagSatisfies(tag: string, policy: TagPolicy): boolean {
  try {
    return selectTag([tag], policy, tag) === tag;
  } catch (err) {
    if (err instanceof SourceError) return false;
    throw err;
  }
}

/** Semver tags (a leading `v` allowed), highest first; ties keep a stable order. */
function newestFirst(tags: string[], includePrerelease: boolean): string[] {
  return tags
    .filter((t) => {
      const v = versionOf(t);
      return v !== undefined && (includePrerelease || semver.prerelease(v) === null);
    })
    .sort((a, b) => semver.rcompare(versionOf(a)!, versionOf(b)!) || a.localeCompare(b));
}

function versionOf(tag: string): string | undefined {
  return semver.valid(tag, { loose: true }) ?? undefined;
}

function first(candidates: string[], where: string, what: string): string {
  if (candidates.length === 0)
    throw new SourceError(`${what} in ${where}`, 'check the tag policy, or push a matching tag');
  return candidates[0];
}
