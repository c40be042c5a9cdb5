import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DockyardError } from '@dockyard/errors';

const STALE_MS = 120_000;

/**
 * An exclusive lock file (O_EXCL) guarding a read-modify-write, e.g. index.json updated by
 * parallel Nx tasks. A lock older than two minutes is taken to belong to a crashed writer.
 */
export async function withFileLock<T>(path: string, job: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lockPath, { force: true });
      else if (Date.now() > deadline)
        throw new DockyardError(
          `${lockPath} is held by another writer for more than ${timeoutMs / 1000}s; remove it if no dockyard process is running`,
          { code: 'LOCK_TIMEOUT' },
        );
      else await sleep(10 + Math.random() * 40);
    }
  }
  try {
    return await job();
  } finally {
    await rm(lockPath, { force: true });
  }
}
