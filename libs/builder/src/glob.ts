import { DockyardError } from '@dockyard/errors';

/**
 * Go's `filepath.Match` for one path segment (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes), which Docker applies to
 * COPY/ADD sources segment by segment; a whole `**` segment matches any number of segments, as in BuildKit.
 */
function segmentRegExp(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\' && i + 1 < segment.length) out += escapeRegExp(segment[++i]!);
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) throw new DockyardError(`"${segment}": unterminated [ in a pattern`, { code: 'GLOB_INVALID' });
      let body = segment.slice(i + 1, close);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\(.)/g, '\\$1')}]`;
      i = close;
    } else out += escapeRegExp(ch);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

export type SegmentMatcher = { any: true } | { any: false; test(name: string): boolean };

/** A pattern (already relative, '/'-separated) as one matcher per segment. */
export function compileGlob(pattern: string): SegmentMatcher[] {
  return pattern
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map((segment): SegmentMatcher => {
      if (segment === '**') return { any: true };
      const re = segmentRegExp(segment);
      return { any: false, test: (name) => re.test(name) };
    });
}
