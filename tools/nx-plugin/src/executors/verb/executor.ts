import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { loadCli } from './cli';
import { inDependencyOrder, type BatchTaskResult } from './in-dependency-order';

export interface VerbOptions {
  /** Verbs that print through the output they are given (build: for an AppImage's --list-images). */
  verb: 'resolve' | 'collect' | 'images' | 'build';
  project: string;
  flags?: string[];
}

/**
 * Tasks of one batch running at once. They mostly wait on registries, git servers and the disk, so a few overlap
 * well in the one process; more would only interleave the CPU-bound parts (parsing, chart rendering) on one thread.
 */
const TASKS_AT_ONCE = 4;

const argvOf = (options: VerbOptions) => [options.project, ...(options.flags ?? [])];

/**
 * Nx starts workers in the folder `nx` was run from; the CLI as a target ran at the workspace root, where project
 * roots name projects and paths are printed relative to.
 */
const atWorkspaceRoot = (context: ExecutorContext) => process.chdir(context.root);

/** One task: `dockyard VERB PROJECT FLAGS...`, in this process. */
export default async function verbExecutor(
  options: VerbOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  atWorkspaceRoot(context);
  const { runVerb, consoleOutput } = loadCli();
  return { success: (await runVerb(options.verb, argvOf(options), consoleOutput)) === 0 };
}

/**
 * Every task of a run in one process, instead of one CLI process per task: resolve, collect and images of hundreds of
 * projects spent most of their time starting Node and loading the engines. Each task prints into its own capture,
 * yielded as it finishes, so Nx shows and caches each task's output as the CLI prints it, and one failing task fails
 * alone (tasks after it in the batch, such as its images after its collect, are skipped).
 */
export async function* verbBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, VerbOptions>,
  _overrides: unknown,
  context: ExecutorContext,
): AsyncGenerator<{ task: string; result: BatchTaskResult }> {
  atWorkspaceRoot(context);
  const { runVerb, capturedOutput } = loadCli();
  yield* inDependencyOrder(
    taskGraph,
    async (task) => {
      const output = capturedOutput();
      const startTime = Date.now();
      const code = await runVerb(inputs[task]!.verb, argvOf(inputs[task]!), output);
      return { success: code === 0, terminalOutput: output.text(), startTime, endTime: Date.now() };
    },
    TASKS_AT_ONCE,
  );
}
