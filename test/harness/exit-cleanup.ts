/**
 * Synchronous cleanups run when this Node process exits without the test having stopped
 * its services (a forgotten stop(), a failing beforeAll, vitest closing a worker).
 * Run newest first, so a service is signalled before its directory is removed.
 */
const cleanups = new Set<() => void>();
let hookInstalled = false;

export function onProcessExit(cleanup: () => void): () => void {
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      for (const run of [...cleanups].reverse()) {
        try {
          run();
        } catch {
          // Best effort: one failed cleanup must not skip the others.
        }
      }
    });
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
