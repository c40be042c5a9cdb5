import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// node:child_process, not execa: the builder's start-up time is part of every build (execa costs ~0.2 s to load).
const run = promisify(execFile);

export class EpochError extends Error {}

/**
 * The time every layer entry, the config's `created` and its history carry: `SOURCE_DATE_EPOCH` when set
 * (reproducible-builds.org), else the last commit time of the context (the same on every clone), else 0.
 */
export async function sourceDateEpoch(contextDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const given = env.SOURCE_DATE_EPOCH;
  if (given !== undefined && given !== '') {
    if (!/^\d+$/.test(given))
      throw new EpochError(`SOURCE_DATE_EPOCH="${given}" is not a whole number of seconds since 1970`);
    return Number(given);
  }
  const stdout = await run('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: contextDir }).then(
    (r) => r.stdout,
    () => '',
  );
  const seconds = Number(stdout.trim() || NaN);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

export function epochIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
