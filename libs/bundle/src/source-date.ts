import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The timestamp every entry of a bundle carries: SOURCE_DATE_EPOCH when set (reproducible-builds.org),
 * else the time of the last commit touching the project folder, else 0 outside a git checkout.
 */
export async function sourceDateEpoch(projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${fromEnv}"`);
    return Number(fromEnv);
  }
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: projectDir });
    return Number(stdout.trim()) || 0;
  } catch {
    return 0;
  }
}
