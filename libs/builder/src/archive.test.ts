import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { execa } from 'execa';
import { create } from 'tar';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { archiveMembers, detectCompression, tarOf } from './archive';

describe('archives for ADD', () => {
  it('detects gzip, xz, bzip2 and zstd by content and reads the members of each', async () => {
    const dir = await tempDirFor(onTestFinished, 'archive');
    await writeFile(join(dir, 'hello.txt'), 'hello\n');
    const tar = join(dir, 'plain.tar');
    await create({ cwd: dir, file: tar, portable: true }, ['hello.txt']);
    for (const [tool, expected] of [
      ['gzip', 'gzip'],
      ['xz', 'xz'],
      ['bzip2', 'bzip2'],
      ['zstd', 'zstd'],
    ] as const) {
      const packed = join(dir, `packed-${tool}.bin`);
      await execa(tool, ['-c', tar], { stdout: { file: packed } });
      expect(await detectCompression(packed)).toBe(expected);
      const unpacked = await tarOf(packed, dir, tool);
      const members = await archiveMembers(unpacked!, packed);
      expect(members.map((m) => [m.name, m.type, m.size])).toEqual([['hello.txt', 'file', 6]]);
      expect(await text(members[0]!.open())).toBe('hello\n');
    }
    expect(await tarOf(tar, dir, 'plain')).toBe(tar);
    expect(await tarOf(join(dir, 'hello.txt'), dir, 'text')).toBeUndefined();
  });
});
