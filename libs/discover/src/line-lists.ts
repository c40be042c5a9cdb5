import type { Finding } from './finding';

/** Lines of a list file, without blanks and `#` comments (shim lists, `.sealignore`, `*.list`). */
export function listLines(text: string): { value: string; line: number }[] {
  return text
    .split('\n')
    .map((raw, index) => ({ value: raw.trim(), line: index + 1 }))
    .filter(({ value }) => value !== '' && !value.startsWith('#'));
}

/** Sealos `images/shim/*` files: one image per line. */
export function imagesInShimList(file: string, text: string): Finding[] {
  return listLines(text).map(({ value, line }) => ({ text: value, source: { file, line } }));
}
