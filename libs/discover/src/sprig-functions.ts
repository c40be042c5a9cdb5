import { bool, scalar, textOf, textsOf, type Data } from './template-data';

/**
 * The Sprig string functions charts build image references with, evaluated when every input is
 * known. `undefined` when an input is not known or the call is not one of these; the caller
 * tells the two apart by `isSprigFunction`.
 */
export function sprigFunction(name: string, args: Data[]): Data | undefined {
  if (name === 'join') return join(args);
  const t = textsOf(args);
  if (!t) return undefined;
  const [a, b, c] = t;
  switch (name) {
    case 'trimPrefix':
      return t.length === 2 ? scalar(b.startsWith(a) ? b.slice(a.length) : b) : undefined;
    case 'trimSuffix':
      return t.length === 2 ? scalar(b.endsWith(a) ? b.slice(0, b.length - a.length) : b) : undefined;
    case 'replace':
      return t.length === 3 ? scalar(c.split(a).join(b)) : undefined;
    case 'hasPrefix':
      return t.length === 2 ? bool(b.startsWith(a)) : undefined;
    case 'hasSuffix':
      return t.length === 2 ? bool(b.endsWith(a)) : undefined;
    case 'contains':
      return t.length === 2 ? bool(b.includes(a)) : undefined;
    case 'substr':
      return t.length === 3 && isInteger(a) && isInteger(b) ? scalar(substr(Number(a), Number(b), c)) : undefined;
    case 'trunc':
      return t.length === 2 && isInteger(a)
        ? scalar(Number(a) >= 0 ? b.slice(0, Number(a)) : b.slice(Math.max(0, b.length + Number(a))))
        : undefined;
    case 'regexReplaceAll':
    case 'regexReplaceAllLiteral':
      return t.length === 3 ? regexReplace(a, b, c, name === 'regexReplaceAllLiteral') : undefined;
    case 'regexMatch': {
      const regex = t.length === 2 ? goRegex(a) : undefined;
      return regex ? bool(regex.test(b)) : undefined;
    }
    case 'splitList':
      return t.length === 2 ? { kind: 'list', items: b.split(a).map(scalar) } : undefined;
    case 'split':
      return t.length === 2
        ? { kind: 'dict', entries: new Map(b.split(a).map((part, i) => [`_${i}`, scalar(part)])) }
        : undefined;
    case 'semverCompare': {
      const result = t.length === 2 ? semverSatisfies(a, b) : undefined;
      return result === undefined ? undefined : bool(result);
    }
    default:
      return undefined;
  }
}

const NAMES = new Set([
  'join',
  'trimPrefix',
  'trimSuffix',
  'replace',
  'hasPrefix',
  'hasSuffix',
  'contains',
  'substr',
  'trunc',
  'regexReplaceAll',
  'regexReplaceAllLiteral',
  'regexMatch',
  'splitList',
  'split',
  'semverCompare',
]);

export function isSprigFunction(name: string): boolean {
  return NAMES.has(name);
}

const isInteger = (text: string) => /^-?\d+$/.test(text.trim());

/** Sprig's substr: a negative start is 0, a negative or too large end is the end of the string. */
function substr(start: number, end: number, text: string): string {
  if (start < 0) return text.slice(0, end);
  if (end < 0 || end > text.length) return text.slice(start);
  return text.slice(start, end);
}

function join(args: Data[]): Data | undefined {
  if (args.length !== 2) return undefined;
  const separator = textOf(args[0]);
  const list = args[1];
  const items = list.kind === 'list' ? list.items.map(textOf) : list.kind === 'scalar' ? [list.text] : undefined;
  if (separator === undefined || !items || items.some((i) => i === undefined)) return undefined;
  return scalar(items.join(separator));
}

/** Go's RE2 syntax as a JavaScript regex; undefined for what JavaScript reads differently or not at all. */
function goRegex(source: string): RegExp | undefined {
  if (/\(\?[a-zA-Z]|\\[zApP]/.test(source)) return undefined;
  try {
    return new RegExp(source, 'g');
  } catch {
    return undefined;
  }
}

function regexReplace(source: string, text: string, replacement: string, literal: boolean): Data | undefined {
  const regex = goRegex(source);
  if (!regex) return undefined;
  // Go expands `$1` and `${1}`; JavaScript's `$1` is the same, `${1}` has to be rewritten and `$$` means `$` in both.
  const expanded = literal ? replacement.replace(/\$/g, '$$$$') : replacement.replace(/\$\{(\d+)\}/g, '$$$1');
  if (!literal && /\$\{?[A-Za-z_]/.test(replacement)) return undefined;
  return scalar(text.replace(regex, expanded));
}

type Version = [number, number, number, string];

function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), m[4] ?? ''] : undefined;
}

function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** Masterminds/semver constraints: `||` of comma- or space-separated comparators; undefined for wildcards and what cannot be parsed. */
export function semverSatisfies(constraint: string, version: string): boolean | undefined {
  const subject = parseVersion(version);
  if (!subject) return undefined;
  const groups = constraint.split('||').map((group) =>
    group
      .trim()
      .replace(/([<>=!~^]+)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter(Boolean),
  );
  const results = groups.map((group) => group.map((comparator) => satisfies(comparator, subject)));
  if (results.some((group) => group.some((r) => r === undefined))) return undefined;
  return results.some((group) => group.every(Boolean));
}

function satisfies(comparator: string, subject: Version): boolean | undefined {
  const m = /^(>=|<=|!=|=|>|<|~|\^)?(.+)$/.exec(comparator);
  const bound = m && parseVersion(m[2]);
  if (!m || !bound) return undefined;
  // As in Masterminds/semver, a pre-release version satisfies only constraints that carry one (`>=1.28-0`).
  if (subject[3] !== '' && bound[3] === '') return false;
  const version = subject;
  const order = compareVersions(version, bound);
  switch (m[1]) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '!=':
      return order !== 0;
    case '~':
      return order >= 0 && version[0] === bound[0] && version[1] === bound[1];
    case '^':
      return order >= 0 && version[0] === bound[0] && (bound[0] !== 0 || version[1] === bound[1]);
    default:
      return order === 0;
  }
}
