import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './exit-cleanup';

/**
 * A new empty directory under the OS temp dir, named `dockyard-<prefix>-XXXXXX`.
 * Short on purpose: unix socket paths placed inside must stay under 108 bytes.
 */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dockyard-${prefix}-`));
}

/** Removes a directory made by tempDir (or any path); a missing path is fine. */
export function removeTempDir(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * A temp dir removed by the hook you pass (`afterAll`, `onTestFinished`) and, failing
 * that, when the test process exits. The fallback matters: vitest 4 silently ignores an
 * `afterAll` registered inside `beforeAll`, e.g. `beforeAll(() => tempDirFor(afterAll, 'x'))`.
 */
export async function tempDirFor(register: (cleanup: () => Promise<void>) => void, prefix: string): Promise<string> {
  const path = await tempDir(prefix);
  const forgetExitRemoval = onProcessExit(() => rmSync(path, { recursive: true, force: true, maxRetries: 3 }));
  register(async () => {
    await removeTempDir(path);
    forgetExitRemoval();
  });
  return path;
}
