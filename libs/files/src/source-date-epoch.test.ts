import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { epochIso, sourceDateEpoch } from './source-date-epoch';

describe('sourceDateEpoch', () => {
  it('takes SOURCE_DATE_EPOCH, then the last commit of the context, then 0', async () => {
    const dir = await tempDirFor(onTestFinished, 'epoch');
    expect(await sourceDateEpoch(dir, {})).toBe(0);
    expect(await sourceDateEpoch(dir, { SOURCE_DATE_EPOCH: '1700000000' })).toBe(1700000000);
    await expect(sourceDateEpoch(dir, { SOURCE_DATE_EPOCH: 'yesterday' })).rejects.toThrow('not a whole number');
    const git = (...args: string[]) =>
      execa('git', args, {
        cwd: dir,
        env: { GIT_COMMITTER_DATE: '2024-01-02T03:04:05Z', GIT_AUTHOR_DATE: '2024-01-02T03:04:05Z' },
      });
    await git('init', '-q');
    await writeFile(join(dir, 'f'), 'x');
    await git('add', 'f');
    await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'c');
    expect(await sourceDateEpoch(dir, {})).toBe(Date.parse('2024-01-02T03:04:05Z') / 1000);
    expect(epochIso(0)).toBe('1970-01-01T00:00:00Z');
  });
});
