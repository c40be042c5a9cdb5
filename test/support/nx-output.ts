/** Readers of what `nx` prints with `--output-style=static`. */

/** The tasks Nx ran or restored (`> nx run project:target`), each once: a batch of one prints its header twice. */
export function tasksRun(output: string): string[] {
  return [...new Set([...output.matchAll(/^> nx run (\S+)/gm)].map((m) => m[1]))].sort();
}

/** The tasks Nx restored from its cache without running them. */
export function tasksFromCache(output: string): string[] {
  return [...output.matchAll(/^> nx run (\S+)\s+\[(?:local cache|existing outputs match the cache, left as is)\]/gm)]
    .map((m) => m[1])
    .sort();
}

/** What one task printed under `--output-style=static`: the lines after its `> nx run TASK` header, up to the next header. */
export function taskOutput(output: string, task: string): string {
  const sections = output.split(/^(?=> nx run |\s*NX {3})/m);
  return sections
    .filter((section) => section.startsWith(`> nx run ${task}`))
    .map((section) => section.slice(section.indexOf('\n') + 1))
    .join('');
}

/** The tasks Nx restored from its remote cache. */
export function tasksFromRemoteCache(output: string): string[] {
  return [...output.matchAll(/^> nx run (\S+)\s+\[remote cache\]/gm)].map((m) => m[1]).sort();
}
