import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDirFor } from '../../../../test/support/tmp';
import { runInitScript } from './init-script';

describe('runInitScript', () => {
  it('runs init.sh ARCH NAME VERSION in the folder, logging its output; no init.sh is fine', async () => {
    const dir = await tempDirFor(onTestFinished, 'init');
    const log = join(dir, 'logs', 'init.log');
    expect(await runInitScript(dir, { arch: 'arm64', name: 'app', version: '1.0' }, log, 10_000)).toBe('none');
    await writeFile(
      join(dir, 'init.sh'),
      'echo "args $1 $2 $3 in $(basename "$PWD")"\necho warn >&2\ntouch made-by-init\n',
    );
    expect(await runInitScript(dir, { arch: 'arm64', name: 'app', version: '1.0' }, log, 10_000)).toBe('ran');
    expect(await readFile(log, 'utf8')).toContain('args arm64 app 1.0');
    expect(await readFile(log, 'utf8')).toContain('warn');
    expect(await readFile(join(dir, 'made-by-init'), 'utf8')).toBe('');
  });

  it('fails with the exit code and the log tail, or on the timeout', async () => {
    const dir = await tempDirFor(onTestFinished, 'init-fail');
    await writeFile(join(dir, 'init.sh'), 'for i in $(seq 1 30); do echo line $i; done\nexit 3\n');
    const error = await runInitScript(
      dir,
      { arch: 'amd64', name: 'app', version: '1.0' },
      join(dir, 'init.log'),
      10_000,
    ).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /init\.sh amd64 app 1\.0 exited with 3; the last lines of .*init\.log:\n {2}\| line 11\n/,
    );
    expect((error as Error).message).not.toContain('| line 10\n');
    await writeFile(join(dir, 'init.sh'), 'echo started\nsleep 5\n');
    await expect(
      runInitScript(dir, { arch: 'amd64', name: 'app', version: '1.0' }, join(dir, 'init.log'), 1000),
    ).rejects.toThrow(/did not finish within 1 s.*\n {2}\| started/s);
  });
});
