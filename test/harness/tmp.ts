import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
 * A temp dir removed after the current test file: call it from beforeAll/it, pass
 * vitest's `onTestFinished`/`afterAll` registration, e.g.
 * `const dir = await tempDirFor(afterAll, 'sync')`.
 */
export async function tempDirFor(register: (cleanup: () => Promise<void>) => void, prefix: string): Promise<string> {
  const path = await tempDir(prefix);
  register(() => removeTempDir(path));
  return path;
}
