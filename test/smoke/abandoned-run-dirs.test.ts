import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sweepAbandonedRunDirs } from '../support/abandoned-run-dirs';
import { unmountAllUnder } from '../support/mounts';
import { removeTempDir, tempDir } from '../support/tmp';

async function serviceDir(
  kind: 'docker' | 'registry',
  ageMinutes: number,
  fill?: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = await tempDir(kind);
  onTestFinished(async () => {
    await unmountAllUnder(dir);
    await removeTempDir(dir);
  });
  await writeFile(join(dir, 'registry.log'), 'left behind\n');
  await fill?.(dir);
  const then = new Date(Date.now() - ageMinutes * 60_000);
  await utimes(dir, then, then);
  return dir;
}

describe('sweepAbandonedRunDirs', () => {
  it('removes old service dirs no process uses (unmounting first) and keeps the others', async () => {
    // As dockerd leaves its data root after a SIGKILL: bind-mounted onto itself.
    const abandoned = await serviceDir('docker', 30, async (dir) => {
      await mkdir(join(dir, 'data'));
      execFileSync('mount', ['--bind', join(dir, 'data'), join(dir, 'data')]);
    });
    const abandonedRegistry = await serviceDir('registry', 30);
    const young = await serviceDir('registry', 1);
    const inUse = await serviceDir('docker', 30);
    const user = spawn('sh', ['-c', 'sleep 600', 'holder', inUse], { stdio: 'ignore' });
    onTestFinished(() => void user.kill('SIGKILL'));
    await new Promise((resolve) => user.once('spawn', resolve));

    const removed = await sweepAbandonedRunDirs();

    expect(removed).toEqual(expect.arrayContaining([abandoned, abandonedRegistry]));
    expect(removed).not.toContain(young);
    expect(removed).not.toContain(inUse);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(abandonedRegistry)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(inUse)).toBe(true);
  });
});
