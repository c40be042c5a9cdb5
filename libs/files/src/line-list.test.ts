import { describe, expect, it } from 'vitest';
import { parseLineList } from './line-list';

describe('parseLineList', () => {
  it('skips blanks and comment lines, strips trailing comments, keeps line numbers', () => {
    const text =
      '# header\r\n\r\nrelease/a:v1\r\n  docker.io/library/busybox:1.36   # base image\nquay.io/x/y@sha256:ab#not-a-comment\n\t# indented comment\n';
    expect(parseLineList(text)).toEqual([
      { value: 'release/a:v1', line: 3 },
      { value: 'docker.io/library/busybox:1.36', line: 4 },
      { value: 'quay.io/x/y@sha256:ab#not-a-comment', line: 5 },
    ]);
  });
});
