import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedPath, confinedPath, PathEscapeError, pathProblem } from './confined-path';

const inBundle = { form: 'relative', within: 'the bundle' } as const;
const fileName = { form: 'name', within: 'dist/x/bundle' } as const;

describe('confined paths', () => {
  it('resolves a relative path under its root', () => {
    expect(confinedPath('/ws/dist/x', 'a/b.txt', ['to'], inBundle)).toBe(join('/ws/dist/x', 'a/b.txt'));
    expect(checkedPath('x-v1.tar.gz', ['bundle', 'file'], fileName)).toBe('x-v1.tar.gz');
    expect(pathProblem('./a/b', inBundle)).toBeUndefined();
  });

  it.each([
    ['/etc/passwd', 'is an absolute path'],
    ['\\\\host\\share', 'is an absolute path'],
    ['C:/x', 'is an absolute path'],
    ['../x', 'climbs out with ".."'],
    ['a/../../x', 'climbs out with ".."'],
    ['a\\..\\..\\x', 'climbs out with ".."'],
    ['', 'names no file or folder'],
    ['./', 'names no file or folder'],
    ['a\0b', 'contains a NUL character'],
  ])('refuses %j as a relative path: %s', (value, reason) => {
    expect(() => confinedPath('/ws', value, ['bundle', 'files', 0, 'to'], inBundle)).toThrow(
      new PathEscapeError(
        ['bundle', 'files', 0, 'to'],
        value,
        reason,
        'write a path relative to the bundle that stays inside it: no leading "/" and no ".." segment',
      ),
    );
  });

  it('refuses separators, "." and ".." where a plain name is expected, naming the field', () => {
    expect(() => checkedPath('sub/x.tar', ['bundle', 'file'], fileName)).toThrow(
      'bundle.file: "sub/x.tar" has a path separator where a plain name is expected (write a plain name, as it becomes one file or folder name in dist/x/bundle: no "/", "\\" or "..")',
    );
    expect(pathProblem('a\\b', fileName)?.reason).toBe('has a path separator where a plain name is expected');
    expect(pathProblem('..', fileName)?.reason).toBe('climbs out with ".."');
    expect(pathProblem('.', fileName)?.reason).toBe('names no file or folder');
    expect(pathProblem('a..b', fileName)).toBeUndefined();
  });
});
