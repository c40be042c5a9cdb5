import { join } from 'node:path';
import { execa } from 'execa';

const bin = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');

/** Runs the real `dockyard` CLI and returns exit code and output; never throws on a non-zero exit. */
export async function dockyard(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('node', [bin, ...args], { env, cwd, reject: false, timeout: 300_000 });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
