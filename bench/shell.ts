import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a command to completion; a failure names the command line and ends with the tail of its stderr. */
export function sh(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<unknown> {
  return run(command, args, { env, cwd, maxBuffer: 256 * 1024 * 1024 }).catch((err: Error & { stderr?: string }) => {
    throw new Error(`${command} ${args.join(' ')}: ${err.message}\n${err.stderr?.slice(-3000) ?? ''}`);
  });
}
