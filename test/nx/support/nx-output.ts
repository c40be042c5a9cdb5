/** Readers of what `nx` prints with `--output-style=static`. */

/** The tasks Nx ran or restored, in the order it printed them (`> nx run project:target`). */
export function tasksRun(output: string): string[] {
  return [...output.matchAll(/^> nx run (\S+)/gm)].map((m) => m[1]).sort();
}

/** The tasks Nx restored from its cache without running them. */
export function tasksFromCache(output: string): string[] {
  return [...output.matchAll(/^> nx run (\S+)\s+\[(?:local cache|existing outputs match the cache, left as is)\]/gm)].map((m) => m[1]).sort();
}
