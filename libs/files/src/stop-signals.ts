const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `action` once when the process gets SIGINT or SIGTERM, then re-raises the signal only when no other listener
 * is left, so the process ends as killed by it: other listeners (temp cleanup, a test harness, Nx) already saw this
 * signal and decide for themselves. Returns a function that takes the action back.
 */
export function onStopSignal(action: (signal: NodeJS.Signals) => void): () => void {
  const listener = (signal: NodeJS.Signals) => {
    off();
    action(signal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const off = () => {
    for (const name of STOP_SIGNALS) process.removeListener(name, listener);
  };
  for (const name of STOP_SIGNALS) process.on(name, listener);
  return off;
}
