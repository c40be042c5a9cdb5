import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { withFileLock } from './lock';

async function dir(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'lock-'));
  onTestFinished(() => rm(path, { recursive: true, force: true }));
  return path;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('withFileLock', () => {
  it('runs read-modify-writes one at a time and removes the lock, also when the job fails', async () => {
    const file = join(await dir(), 'index.json');
    let running = 0;
    let most = 0;
    const job = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await Promise.all([withFileLock(file, job), withFileLock(file, job), withFileLock(file, job)]);
    expect(most).toBe(1);
    await expect(withFileLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await exists(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a crashed writer, and names a live one it waited too long for', async () => {
    const file = join(await dir(), 'index.json');
    await writeFile(`${file}.lock`, '1');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(`${file}.lock`, old, old);
    expect(await withFileLock(file, async () => 'ran')).toBe('ran');

    await writeFile(`${file}.lock`, '1');
    await expect(withFileLock(file, async () => 'ran', 50)).rejects.toThrow(
      `${file}.lock is held by another writer for more than 0.05s; remove it if no dockyard process is running`,
    );
  });
});
