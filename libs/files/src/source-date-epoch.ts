import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DockyardError } from '@dockyard/errors';

// node:child_process, not execa: the builder's start-up time is part of every build (execa costs ~0.2 s to load).
const run = promisify(execFile);

/**
 * The time every entry a build or a bundle writes carries (layer entries, the config's `created`, bundle
 * members): `SOURCE_DATE_EPOCH` when set (reproducible-builds.org), else the time of the last commit touching
 * `dir` (the same on every clone), else 0 outside a git checkout.
 */
export async function sourceDateEpoch(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const given = givenSourceDateEpoch(env);
  if (given !== undefined) return given;
  const stdout = await run('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: dir }).then(
    (r) => r.stdout,
    () => '',
  );
  const seconds = Number(stdout.trim() || NaN);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

/** `SOURCE_DATE_EPOCH` when set: one time for everything, whatever the history says. */
export function givenSourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const given = env.SOURCE_DATE_EPOCH;
  if (given === undefined || given === '') return undefined;
  if (!/^\d+$/.test(given))
    throw new DockyardError(`SOURCE_DATE_EPOCH="${given}" is not a whole number of seconds since 1970`, {
      code: 'SOURCE_DATE_EPOCH_INVALID',
      hint: 'set it to whole seconds since 1970 (e.g. `git log -1 --format=%ct`), or unset it',
    });
  return Number(given);
}

/**
 * The time of the last commit touching each file below `dir`, by its '/'-separated path relative to `dir`: one
 * walk of the history, newest first, so the first time seen for a path is its last. The same on every full
 * clone. Files no commit holds (untracked, generated) are absent; undefined outside a git checkout.
 */
export async function fileCommitTimes(dir: string): Promise<Map<string, number> | undefined> {
  const stdout = await run(
    'git',
    ['-c', 'core.quotePath=false', 'log', '--format=@%ct', '--name-only', '--no-renames', '--relative', '--', '.'],
    { cwd: dir, maxBuffer: 1 << 30 },
  ).then(
    (r) => r.stdout,
    () => undefined,
  );
  if (stdout === undefined) return undefined;
  const times = new Map<string, number>();
  let time = 0;
  for (const line of stdout.split('\n')) {
    if (/^@\d+$/.test(line)) time = Number(line.slice(1));
    else if (line && !times.has(line)) times.set(line, time);
  }
  return times;
}

/** `1700000000` → `2023-11-14T22:13:20Z`: the config's `created` and history times. */
export function epochIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
