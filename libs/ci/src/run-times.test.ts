import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRunTimes, projectTimesFromProfile, readRunTimes, writeRunTimes } from './run-times';

const task = (project: string, seconds: number, status: string) => ({
  name: `${project}:build`,
  ph: 'X',
  dur: seconds * 1e6,
  args: { target: { project, target: 'build' }, status },
});

describe('run times', () => {
  it('sums the tasks that ran per project and keeps earlier times of cache hits', () => {
    const profile = [
      { name: 'thread_name', ph: 'M', args: { name: 'Group #1' } },
      task('app', 12, 'success'),
      task('app', 3, 'success'),
      task('cached', 0.1, 'local-cache'),
      task('broken', 4, 'failure'),
    ];
    const latest = projectTimesFromProfile(profile, 'profile.json');
    expect(latest).toEqual(
      new Map([
        ['app', 15],
        ['broken', 4],
      ]),
    );
    const merged = mergeRunTimes(
      new Map([
        ['cached', 40],
        ['app', 90],
      ]),
      latest,
    );
    expect(merged).toEqual(
      new Map([
        ['cached', 40],
        ['app', 15],
        ['broken', 4],
      ]),
    );
  });

  it('round-trips the file, treats a missing file as no times, and names a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-times-'));
    const file = join(dir, 'times.json');
    expect(await readRunTimes(file)).toEqual(new Map());
    await writeRunTimes(
      file,
      new Map([
        ['b', 2],
        ['a', 1],
      ]),
    );
    expect(await readFile(file, 'utf8')).toBe('{\n  "version": 1,\n  "projects": {\n    "a": 1,\n    "b": 2\n  }\n}\n');
    expect(await readRunTimes(file)).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await writeFile(file, '{"projects": []');
    await expect(readRunTimes(file)).rejects.toThrow(`${file}: not JSON`);
    expect(() => projectTimesFromProfile({}, 'p.json')).toThrow('p.json: not an Nx task profile');
  });
});
