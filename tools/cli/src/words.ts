import { relative } from 'node:path';

/** `1 image`, `2 images`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A path as the user names it: relative to the current folder. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
