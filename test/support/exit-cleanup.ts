/**
 * Synchronous cleanups run when this Node process exits without the test having stopped
 * its services (a forgotten stop(), a failing beforeAll). Vitest ends its fork workers
 * with SIGTERM, which would skip 'exit' listeners, so termination signals exit normally here.
 * Cleanups run newest first, so a service is signalled before its directory is removed.
 */
const cleanups = new Set<() => void>();
let hooksInstalled = false;

const exitCodeOfSignal: Readonly<Record<string, number>> = { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 };

function installHooks(): void {
  hooksInstalled = true;
  process.on('exit', () => {
    for (const run of [...cleanups].reverse()) {
      try {
        run();
      } catch {
        // Best effort: one failed cleanup must not skip the others.
      }
    }
  });
  for (const [signal, code] of Object.entries(exitCodeOfSignal)) {
    process.once(signal, () => process.exit(code));
  }
}

export function onProcessExit(cleanup: () => void): () => void {
  if (!hooksInstalled) installHooks();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
