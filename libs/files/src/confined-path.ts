import { resolve } from 'node:path';
import { DockyardError } from '@dockyard/errors';

/**
 * A string of project.yaml that becomes a file or folder: a plain `name` (one path segment) or a
 * `relative` path, both kept inside `within` (said in the hint, e.g. "the bundle").
 */
export interface PathRule {
  form: 'name' | 'relative';
  within: string;
}

/** Dotted field path such as `components[0].targetPath`. */
export function fieldPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Why `value` would leave `rule.within` (or name nothing), and what to write instead; undefined when it is fine. */
export function pathProblem(value: string, rule: PathRule): { reason: string; hint: string } | undefined {
  const hint =
    rule.form === 'name'
      ? `write a plain name, as it becomes one file or folder name in ${rule.within}: no "/", "\\" or ".."`
      : `write a path relative to ${rule.within} that stays inside it: no leading "/" and no ".." segment`;
  // Backslashes count as separators: the archive or folder may be unpacked on Windows.
  const segments = value.split(/[/\\]/);
  if (value.includes('\0')) return { reason: 'contains a NUL character', hint };
  if (value.startsWith('/') || value.startsWith('\\') || /^[A-Za-z]:/.test(value))
    return { reason: 'is an absolute path', hint };
  if (segments.includes('..')) return { reason: 'climbs out with ".."', hint };
  if (rule.form === 'name' && segments.length > 1)
    return { reason: 'has a path separator where a plain name is expected', hint };
  if (segments.every((s) => s === '' || s === '.')) return { reason: 'names no file or folder', hint };
  return undefined;
}

/**
 * A refused path, naming the project.yaml field it came from. The advice is part of the message (front-ends that
 * position the error by `field` print the message only) and kept apart as `advice` for an issue's own hint.
 */
export class PathEscapeError extends DockyardError {
  constructor(
    readonly field: readonly (string | number)[],
    readonly value: string,
    readonly reason: string,
    readonly advice: string,
  ) {
    super(`${fieldPath(field)}: "${value}" ${reason} (${advice})`, { code: 'PATH_ESCAPE' });
  }
}

/** `value` itself when `rule` allows it (an archive member name, a file name); a PathEscapeError naming `field` otherwise. */
export function checkedPath(value: string, field: readonly (string | number)[], rule: PathRule): string {
  const problem = pathProblem(value, rule);
  if (problem) throw new PathEscapeError(field, value, problem.reason, problem.hint);
  return value;
}

/** `value` resolved under the folder `root`, refused (PathEscapeError naming `field`) when it would leave it. */
export function confinedPath(root: string, value: string, field: readonly (string | number)[], rule: PathRule): string {
  return resolve(root, checkedPath(value, field, rule));
}
