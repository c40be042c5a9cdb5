import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../test/support/tmp';
import { epochIso, fileCommitTimes, sourceDateEpoch } from './source-date-epoch';

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

describe('fileCommitTimes', () => {
  it("gives each file below the folder its last commit's time, relative to the folder; none outside git", async () => {
    const dir = await tempDirFor(onTestFinished, 'commit-times');
    expect(await fileCommitTimes(dir)).toBeUndefined();
    const git = (date: string, ...args: string[]) =>
      execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        cwd: dir,
        env: { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date },
      });
    await git('2024-01-01T00:00:00Z', 'init', '-q');
    await mkdir(join(dir, 'ctx', 'charts'), { recursive: true });
    await writeFile(join(dir, 'ctx', 'charts', 'a.yaml'), '1');
    await writeFile(join(dir, 'ctx', 'b é.txt'), 'b');
    await writeFile(join(dir, 'outside.txt'), 'o');
    await git('2024-01-01T00:00:00Z', 'add', '.');
    await git('2024-01-01T00:00:00Z', 'commit', '-qm', 'one');
    await writeFile(join(dir, 'ctx', 'charts', 'a.yaml'), '2');
    await git('2024-02-01T00:00:00Z', 'commit', '-qam', 'two');
    await writeFile(join(dir, 'ctx', 'untracked'), 'u');
    const times = await fileCommitTimes(join(dir, 'ctx'));
    expect(Object.fromEntries(times!)).toEqual({
      'charts/a.yaml': Date.parse('2024-02-01T00:00:00Z') / 1000,
      'b é.txt': Date.parse('2024-01-01T00:00:00Z') / 1000,
    });
  });
});
