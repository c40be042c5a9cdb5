import { execa } from 'execa';
import { join } from 'node:path';

const BIN = join(__dirname, '../../../tools/cli/bin/dockyard.cjs');

/** Runs the real `dockyard` CLI; never throws on a non-zero exit. */
export async function dockyard(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execa('node', [BIN, ...args], { cwd, env, reject: false });
  return { code: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
