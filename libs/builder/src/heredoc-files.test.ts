import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile';
import { heredocFiles } from './heredoc-files';

const instruction = (text: string) =>
  parseDockerfile('Dockerfile', `FROM scratch\n${text}\n`).stages[0]!.instructions[0]!;
const vars = new Map([['WHO', 'world']]);

describe('heredoc sources', () => {
  it('expands variables in an unquoted body and keeps a quoted one as written', () => {
    const [plain] = heredocFiles(
      'Dockerfile',
      instruction('COPY <<EOF /hello\nhi $WHO\nEOF'),
      ['<<EOF'],
      { dest: '/hello', mtime: 0 },
      vars,
      '\\',
    );
    const [quoted] = heredocFiles(
      'Dockerfile',
      instruction('COPY <<"EOF" /hello\nhi $WHO\nEOF'),
      ['<<"EOF"'],
      { dest: '/hello', mtime: 0 },
      vars,
      '\\',
    );
    expect(plain!.entry.content).toEqual(Buffer.from('hi world\n'));
    expect(quoted!.entry.content).toEqual(Buffer.from('hi $WHO\n'));
    expect(plain!.contentId).toBe(`heredoc:${Buffer.from('hi world\n').toString('base64')}`);
  });

  it('names each body after its heredoc when the destination is a folder, and refuses a source without a body', () => {
    const at = instruction('COPY <<A <<B /etc/\none\nA\ntwo\nB');
    expect(
      heredocFiles('Dockerfile', at, ['<<A', '<<B'], { dest: '/etc/', mtime: 0, mode: 0o600 }, vars, '\\').map((f) => [
        f.entry.path,
        f.entry.mode,
      ]),
    ).toEqual([
      ['etc/A', 0o600],
      ['etc/B', 0o600],
    ]);
    expect(() => heredocFiles('Dockerfile', at, ['<<C'], { dest: '/etc/', mtime: 0 }, vars, '\\')).toThrow(
      'Dockerfile:2: no heredoc body named C',
    );
  });
});
