import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { BaseRefError, reportFor, validateWorkspace, type WorkspaceValidation } from '@dockyard/project-spec';

interface ValidateOptions {
  file: string;
}

interface TaskResult {
  success: boolean;
  terminalOutput: string;
}

/** The validated workspace, or the one line every task fails with when DOCKYARD_BASE_REF names nothing git knows. */
async function validation(root: string): Promise<WorkspaceValidation | string> {
  try {
    return await validateWorkspace({ root, baseRef: process.env.DOCKYARD_BASE_REF || undefined });
  } catch (err) {
    if (!(err instanceof BaseRefError)) throw err;
    return `DOCKYARD_BASE_REF=${err.ref}: ${err.reason} (${err.hint})`;
  }
}

function resultFor(workspace: WorkspaceValidation | string, file: string): TaskResult {
  if (typeof workspace === 'string') return { success: false, terminalOutput: `${workspace}\n` };
  const report = reportFor(workspace, (f) => f === file);
  return {
    success: report.problems.length === 0,
    terminalOutput: [...report.problems, report.summary].join('\n') + '\n',
  };
}

/** One project's `validate`, as `dockyard validate FILE` prints it. */
export default async function validateExecutor(
  options: ValidateOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const result = resultFor(await validation(context.root), options.file);
  (result.success ? process.stdout : process.stderr).write(result.terminalOutput);
  return { success: result.success };
}

/**
 * Every `validate` task of a run at once. Each project's rules read the whole workspace (names,
 * references, plugin ports and slots), so validating it once for all tasks turns a run over N
 * projects from N whole-workspace passes into one. Results are yielded one by one: that is how
 * Nx prints each task's output as its own.
 */
export async function* validateBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, ValidateOptions>,
  _overrides: unknown,
  context: ExecutorContext,
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const workspace = await validation(context.root);
  for (const task of Object.keys(taskGraph.tasks)) yield { task, result: resultFor(workspace, inputs[task]!.file) };
}
