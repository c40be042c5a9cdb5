/** One shard of a matrix: the projects it runs and the seconds they took last time (estimated where unknown). */
export interface Shard {
  index: number;
  projects: string[];
  seconds: number;
}

/** The median of the known times, for projects that never ran yet; 1 s when nothing is known. */
export function medianSeconds(times: ReadonlyMap<string, number>): number {
  const values = [...times.values()].filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b);
  if (!values.length) return 1;
  const middle = Math.floor(values.length / 2);
  return values.length % 2 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}

/**
 * Splits `projects` into at most `count` shards of about equal total time: longest first onto the shard with the
 * least time so far (ties: fewer projects, then the lower index; projects of equal time by name). The same
 * projects and times always give the same shards, so every job of a matrix agrees on them. Empty shards are
 * dropped: a matrix entry with nothing to run would only start a machine.
 */
export function shardProjects(projects: readonly string[], count: number, times: ReadonlyMap<string, number>): Shard[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shard count must be a whole number ≥ 1, not ${count}`);
  const unknown = medianSeconds(times);
  const timed = [...new Set(projects)]
    .map((name) => ({ name, seconds: times.get(name) ?? unknown }))
    .sort((a, b) => b.seconds - a.seconds || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shards: Shard[] = Array.from({ length: Math.min(count, timed.length) }, (_, i) => ({
    index: i + 1,
    projects: [],
    seconds: 0,
  }));
  for (const project of timed) {
    let target = shards[0]!;
    for (const shard of shards)
      if (
        shard.seconds < target.seconds ||
        (shard.seconds === target.seconds && shard.projects.length < target.projects.length)
      )
        target = shard;
    target.projects.push(project.name);
    target.seconds += project.seconds;
  }
  for (const shard of shards) shard.projects.sort();
  return shards;
}
