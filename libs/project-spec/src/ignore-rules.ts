import ignore, { type Ignore } from 'ignore';

/**
 * Which workspace paths Nx ignores: what its native walker (the Rust `ignore` crate, git's rules) skips
 * when it globs for project files. `.gitignore` and `.nxignore` cascade, each folder's pair merged into
 * one matcher with `.nxignore` last (so its `!x` overrides `.gitignore`'s `x`), the nearest folder with an
 * opinion on a path wins, nothing inside an ignored folder comes back, and a few folders are never walked.
 * Paths are decided one level at a time, as git does, so callers walk top-down and prune ignored folders.
 */
export interface IgnoreRules {
  /** Whether `path` (a file, or a folder when it ends in '/') is ignored, given that its parent is not. */
  ignoresEntry(path: string): boolean;
}

/** Nx's hard-coded walker exclusions (`getHardcodedIgnorePatterns()` of its native module). */
const ALWAYS_IGNORED = ignore().add([
  '**/node_modules',
  '**/.git',
  '**/.nx/cache',
  '**/.nx/workspace-data',
  '**/.yarn/cache',
]);

const IGNORE_FILES = ['.gitignore', '.nxignore'];

interface ChainLink {
  dir: string;
  matcher: Ignore;
}

interface Verdict {
  ignored: boolean;
  unignored: boolean;
}

type RuleSet = { test(path: string, checkUnignored: boolean, mode: string): Verdict };

/**
 * One matcher's verdict on the path itself. The public `test()` also applies the matcher to every parent
 * folder, which breaks cascading: a nested `!build/` re-includes `apps/build/` for git, but the root's
 * `build/` would still claim `apps/build/x` through its parent. The package's own single-path test (its
 * "regex" mode, what `test()` runs per level) is what git does per level; the version is pinned exactly.
 */
function ownVerdict(matcher: Ignore, path: string): Verdict {
  return (matcher as unknown as { _rules: RuleSet })._rules.test(path, true, 'regex');
}

function parentOf(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? '' : trimmed.slice(0, slash);
}

/** `read` gets workspace-relative POSIX paths and returns undefined for a missing file. */
export function ignoreRules(read: (path: string) => string | undefined): IgnoreRules {
  const chains = new Map<string, ChainLink[]>();
  const chainOf = (dir: string): ChainLink[] => {
    const cached = chains.get(dir);
    if (cached) return cached;
    const texts = IGNORE_FILES.map((name) => read(dir ? `${dir}/${name}` : name)).filter((t): t is string => !!t);
    const inherited = dir === '' ? [] : chainOf(parentOf(dir));
    const chain = texts.length
      ? [{ dir, matcher: texts.reduce((m, t) => m.add(t), ignore()) }, ...inherited]
      : inherited;
    chains.set(dir, chain);
    return chain;
  };
  return {
    ignoresEntry(path) {
      if (ALWAYS_IGNORED.ignores(path)) return true;
      for (const { dir, matcher } of chainOf(parentOf(path))) {
        const verdict = ownVerdict(matcher, dir === '' ? path : path.slice(dir.length + 1));
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      return false;
    },
  };
}
