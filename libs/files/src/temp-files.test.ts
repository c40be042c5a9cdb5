import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepStaleTemps } from './temp-files';

const registerTs = join(__dirname, '..', '..', '..', 'tools', 'cli', 'bin', 'register-ts.cjs');

/** The pid of a process that has ended, so no process owns it now. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('temp files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'temp-files-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('sweeps temps of dead processes and keeps those of running ones and other files', async () => {
    const dead = deadPid();
    const stale = [`blob.tmp-${dead}-0badc0de`, `collect.tmp-${dead}-00ff00ff`];
    const kept = [`blob.tmp-${process.pid}-12345678`, 'blob.tmp-1-abcdef01', 'blob', 'notes.tmp-x'];
    for (const name of [stale[0]!, ...kept]) await writeFile(join(dir, name), 'x');
    await mkdir(join(dir, stale[1]!, 'charts'), { recursive: true });
    expect(sweepStaleTemps(dir).sort()).toEqual([...stale].sort());
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`removes the temps of a process stopped by ${signal}, which then ends by that signal`, async () => {
      // A real process mid-write: it holds a temp file open and waits to be stopped.
      const script = `
        const { createWriteStream } = require('node:fs');
        const { tempPathFor } = require(${JSON.stringify(join(__dirname, 'atomic-write.ts'))});
        const temp = tempPathFor(process.argv[1]);
        const out = createWriteStream(temp);
        out.write(Buffer.alloc(65536), () => console.log(temp));
        setInterval(() => out.write('more'), 50);`;
      const child = spawn(process.execPath, ['-r', registerTs, '-e', script, join(dir, 'archive.tar')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const temp = line.toString().trim();
      expect(existsSync(temp)).toBe(true);
      child.kill(signal);
      const [code, endedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      expect({ code, endedBy }).toEqual({ code: null, endedBy: signal });
      expect(await readdir(dir)).toEqual([]);
    });
  }
});
