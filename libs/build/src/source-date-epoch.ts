import { execa } from 'execa';

export class EpochError extends Error {}

/**
 * The time every layer entry, the config's `created` and its history carry: `SOURCE_DATE_EPOCH` when set
 * (reproducible-builds.org), else the last commit time of the context (the same on every clone), else 0.
 */
export async function sourceDateEpoch(contextDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const given = env.SOURCE_DATE_EPOCH;
  if (given !== undefined && given !== '') {
    if (!/^\d+$/.test(given)) throw new EpochError(`SOURCE_DATE_EPOCH="${given}" is not a whole number of seconds since 1970`);
    return Number(given);
  }
  const result = await execa('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: contextDir, reject: false });
  const seconds = result.exitCode === 0 ? Number(String(result.stdout).trim()) : NaN;
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

export function epochIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
