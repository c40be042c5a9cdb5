import { join } from 'node:path';
import { execa } from 'execa';
import { DockyardError } from '@dockyard/errors';

/** The projects that have `target` and are affected between two commits, by name. */
export type AffectedLister = (target: string, base: string, head: string) => Promise<string[]>;

/** What a change touches: per target the affected projects having it, and all of them once. */
export interface AffectedPlan {
  base: string;
  head: string;
  targets: Record<string, string[]>;
  projects: string[];
}

export async function planAffected(
  targets: readonly string[],
  base: string,
  head: string,
  list: AffectedLister,
): Promise<AffectedPlan> {
  const perTarget: Record<string, string[]> = {};
  for (const target of targets) perTarget[target] = [...new Set(await list(target, base, head))].sort();
  const projects = [...new Set(Object.values(perTarget).flat())].sort();
  return { base, head, targets: perTarget, projects };
}

/**
 * Asks the workspace's own Nx (`nx show projects --affected --with-target T --json`), the same graph and
 * affected rules `nx affected` runs by, so the plan and the runs can never disagree.
 */
export function nxAffectedLister(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): AffectedLister {
  const nx = join(workspaceRoot, 'node_modules', '.bin', 'nx');
  return async (target, base, head) => {
    const args = ['show', 'projects', '--affected', '--with-target', target, '--base', base, '--head', head, '--json'];
    const result = await execa(nx, args, {
      cwd: workspaceRoot,
      reject: false,
      env: { ...env, NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' },
    });
    if (result.failed)
      throw new DockyardError(
        `nx ${args.join(' ')} failed in ${workspaceRoot} (${result.exitCode ?? result.signal ?? 'not started'}):\n${String(result.stderr || result.stdout).trim()}`,
        { code: 'NX_AFFECTED', cause: result.cause },
      );
    return parseProjectList(String(result.stdout), `nx ${args.join(' ')}`);
  };
}

/** The JSON array Nx prints; lines it prints around it (warnings) are skipped. */
export function parseProjectList(stdout: string, what: string): string[] {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .findLast((l) => l.startsWith('['));
  try {
    const names = JSON.parse(line ?? '') as unknown;
    if (Array.isArray(names) && names.every((n) => typeof n === 'string')) return names;
  } catch {
    // reported below with what was printed
  }
  throw new DockyardError(`${what} printed no JSON list of project names:\n${stdout.trim()}`, {
    code: 'NX_AFFECTED_OUTPUT',
  });
}
