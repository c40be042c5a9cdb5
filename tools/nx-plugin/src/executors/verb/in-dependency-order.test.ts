import type { TaskGraph } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { inDependencyOrder, type BatchTaskResult } from './in-dependency-order';

/** A batch's graph: task → the tasks it depends on (ids outside the batch are ones Nx already ran). */
function graph(deps: Record<string, string[]>): TaskGraph {
  const tasks = Object.fromEntries(Object.keys(deps).map((id) => [id, { id }]));
  const dependencies = Object.fromEntries(
    Object.entries(deps).map(([id, on]) => [id, on.map((dep) => ({ id: dep, type: 'static' }))]),
  );
  return { roots: [], tasks, dependencies, continuousDependencies: {} } as unknown as TaskGraph;
}

async function runAll(taskGraph: TaskGraph, fails: string[], limit = 2) {
  const started: string[] = [];
  const running = new Set<string>();
  let most = 0;
  const results: Record<string, BatchTaskResult> = {};
  const order: string[] = [];
  const run = async (task: string): Promise<BatchTaskResult> => {
    started.push(task);
    running.add(task);
    most = Math.max(most, running.size);
    await new Promise((resolve) => setImmediate(resolve));
    running.delete(task);
    if (task === 'throws') throw new Error('engine crashed');
    return { success: !fails.includes(task), terminalOutput: `${task} output\n` };
  };
  for await (const { task, result } of inDependencyOrder(taskGraph, run, limit)) {
    order.push(task);
    results[task] = result;
  }
  return { started, most, results, order };
}

describe('inDependencyOrder', () => {
  it('runs each task after its dependencies in the batch, a limited number at once, yielding every task once', async () => {
    const { started, most, results, order } = await runAll(
      graph({
        'a:resolve': ['done-outside:validate'],
        'a:collect': ['a:resolve'],
        'a:images': ['a:collect'],
        'b:resolve': [],
        'c:resolve': [],
        'd:resolve': [],
      }),
      [],
    );
    expect(order.sort()).toEqual(['a:collect', 'a:images', 'a:resolve', 'b:resolve', 'c:resolve', 'd:resolve']);
    expect(started.indexOf('a:collect')).toBeGreaterThan(started.indexOf('a:resolve'));
    expect(started.indexOf('a:images')).toBeGreaterThan(started.indexOf('a:collect'));
    expect(most).toBe(2);
    expect(Object.values(results).every((r) => r.success)).toBe(true);
    expect(results['b:resolve']!.terminalOutput).toBe('b:resolve output\n');
  });

  it('fails a failing task alone and skips only the tasks behind it, transitively', async () => {
    const { started, results } = await runAll(
      graph({
        'a:images': ['a:collect'],
        'a:collect': ['a:resolve'],
        'a:resolve': [],
        'b:resolve': [],
        'b:collect': ['b:resolve'],
        throws: [],
      }),
      ['a:resolve'],
    );
    expect(results['a:resolve']).toMatchObject({ success: false, terminalOutput: 'a:resolve output\n' });
    expect(results['a:collect']).toEqual({ success: false, status: 'skipped', terminalOutput: '' });
    expect(results['a:images']).toEqual({ success: false, status: 'skipped', terminalOutput: '' });
    expect(started).not.toContain('a:collect');
    expect(started).not.toContain('a:images');
    expect(results['b:collect']!.success).toBe(true);
    expect(results.throws!.success).toBe(false);
    expect(results.throws!.terminalOutput).toContain('engine crashed');
  });
});
