import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { DockyardError } from '@dockyard/errors';

const TAIL_LINES = 20;

async function tail(file: string): Promise<string> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).trimEnd().split('\n');
  return lines
    .slice(-TAIL_LINES)
    .map((l) => `  | ${l}`)
    .join('\n');
}

/**
 * Runs `init.sh ARCH NAME VERSION` (with bash, in `workDir`, a scratch copy of the version folder) when the
 * folder has one; stdout and stderr go to `logFile`. A non-zero exit or the timeout fails with the log's tail.
 */
export async function runInitScript(
  workDir: string,
  args: { arch: string; name: string; version: string },
  logFile: string,
  timeoutMs: number,
): Promise<'ran' | 'none'> {
  const script = join(workDir, 'init.sh');
  if (
    !(await access(script).then(
      () => true,
      () => false,
    ))
  )
    return 'none';
  await mkdir(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = execa('bash', [script, args.arch, args.name, args.version], {
    cwd: workDir,
    timeout: timeoutMs,
    reject: false,
    stdin: 'ignore',
    all: true,
    buffer: false,
  });
  child.all?.pipe(log);
  const result = await child;
  await new Promise<void>((resolve) => log.end(resolve));
  if (result.timedOut)
    throw new DockyardError(
      `init.sh ${args.arch} ${args.name} ${args.version} did not finish within ${Math.round(timeoutMs / 1000)} s; the last lines of ${logFile}:\n${await tail(logFile)}`,
      { code: 'INIT_TIMEOUT' },
    );
  if (result.exitCode !== 0)
    throw new DockyardError(
      `init.sh ${args.arch} ${args.name} ${args.version} exited with ${result.exitCode ?? result.signal}; the last lines of ${logFile}:\n${await tail(logFile)}`,
      { code: 'INIT_FAILED' },
    );
  return 'ran';
}
