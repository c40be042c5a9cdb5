import type { TaskGraph } from '@nx/devkit';

export interface BatchTaskResult {
  success: boolean;
  terminalOutput: string;
  /** `skipped` for a task never run because a task it depends on in the batch failed. */
  status?: 'success' | 'failure' | 'skipped';
  startTime?: number;
  endTime?: number;
}

type Finished = { task: string; result: BatchTaskResult };

/**
 * Runs every task of a batch, up to `limit` at once, each only after the tasks it depends on within the batch (a
 * Release's collect after its resolve, its images after its collect) succeeded, and yields each result as it
 * finishes. A task behind a failed one is skipped, as Nx skips it outside a batch; the others go on.
 */
export async function* inDependencyOrder(
  taskGraph: TaskGraph,
  run: (task: string) => Promise<BatchTaskResult>,
  limit: number,
): AsyncGenerator<Finished> {
  const inBatch = (id: string) => id in taskGraph.tasks;
  const waitingOn = new Map(
    Object.keys(taskGraph.tasks).map((id) => [
      id,
      new Set((taskGraph.dependencies[id] ?? []).map((edge) => edge.id).filter(inBatch)),
    ]),
  );
  const unsuccessful = new Set<string>();
  const running = new Map<string, Promise<Finished>>();
  while (waitingOn.size || running.size) {
    for (let skipped = true; skipped;) {
      skipped = false;
      for (const [task, deps] of waitingOn) {
        if (![...deps].some((dep) => unsuccessful.has(dep))) continue;
        waitingOn.delete(task);
        unsuccessful.add(task);
        skipped = true;
        yield { task, result: { success: false, status: 'skipped', terminalOutput: '' } };
      }
    }
    for (const [task, deps] of waitingOn) {
      if (running.size >= limit) break;
      if (deps.size) continue;
      waitingOn.delete(task);
      running.set(task, settle(task, run));
    }
    if (!running.size) break;
    const finished = await Promise.race(running.values());
    running.delete(finished.task);
    if (!finished.result.success) unsuccessful.add(finished.task);
    else for (const deps of waitingOn.values()) deps.delete(finished.task);
    yield finished;
  }
}

/** One task's result; a task that throws fails alone, with the error as its output. */
async function settle(task: string, run: (task: string) => Promise<BatchTaskResult>): Promise<Finished> {
  try {
    return { task, result: await run(task) };
  } catch (err) {
    return { task, result: { success: false, terminalOutput: `${(err as Error)?.stack ?? String(err)}\n` } };
  }
}
