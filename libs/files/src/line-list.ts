/** One entry of a line-list file, with its 1-based line number. */
export interface ListLine {
  value: string;
  line: number;
}

/**
 * Lines of a list file (`images.list`, sealos shim lists, `.sealignore`): one entry a line,
 * blank lines and `#` comment lines skipped, a trailing ` # comment` removed, CRLF accepted.
 */
export function parseLineList(text: string): ListLine[] {
  const lines: ListLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const value = raw.replace(/(^|\s)#.*$/, '').trim();
    if (value !== '') lines.push({ value, line: index + 1 });
  });
  return lines;
}
