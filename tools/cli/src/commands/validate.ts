import { statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import {
  BaseRefError,
  formatIssue,
  loadProjectFile,
  reportFor,
  summaryLine,
  validateWorkspace,
  workspaceRootOf,
} from '@dockyard/project-spec';
import type { Command } from '../command';
import { optionList } from '../help';

const usage = `Usage: dockyard validate [PATH...] [--root DIR] [--base REF]

Checks project.yaml files against their kind's schema and the workspace rules:
unique project names, existing references, no slot or port shared by two plugins,
plugin versions that increase against a base git ref, app version folders.

${optionList([
  [
    'PATH',
    "project.yaml files or folders to report on (default: the whole workspace); each belongs to the workspace of the nearest nx.json above it, and a file with none above it is checked alone against its kind's schema",
  ],
  ['--root DIR', 'workspace root (default: the nearest folder with nx.json)'],
  ['--base REF', 'git ref plugin versions must increase against (default: $DOCKYARD_BASE_REF)'],
])}

Exit status is 1 when any problem is found; every problem is printed as FILE:LINE:COL.`;

/** What one run checks: workspaces (each with the paths named in it, none meaning all) and files checked alone. */
interface Plan {
  workspaces: Map<string, string[]>;
  alone: string[];
}

function plan(paths: readonly string[], root: string | undefined): Plan | string {
  const workspaces = new Map<string, string[]>();
  const alone: string[] = [];
  if (paths.length === 0) {
    const found = root ?? workspaceRootOf(process.cwd());
    if (!found)
      return `no Nx workspace (nx.json) in ${process.cwd()} or above; run it inside a workspace, pass --root DIR, or name the project.yaml files to check`;
    workspaces.set(found, []);
  }
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return `${path}: no such file or folder`;
    const workspace = root ?? workspaceRootOf(stat.isDirectory() ? path : dirname(resolve(path)));
    if (workspace) workspaces.set(workspace, [...(workspaces.get(workspace) ?? []), path]);
    else if (stat.isFile()) alone.push(path);
    else
      return `${path}: no Nx workspace (nx.json) in this folder or above; name its project.yaml files to check them alone, or pass --root DIR`;
  }
  return { workspaces, alone };
}

export const validateCommand: Command = {
  name: 'validate',
  usage,
  options: { root: { type: 'string' }, base: { type: 'string' } },
  async run({ values, positionals }) {
    const flagRef = values.base as string | undefined;
    const baseRef = flagRef ?? (process.env.DOCKYARD_BASE_REF || undefined);
    const planned = plan(positionals, values.root === undefined ? undefined : resolve(values.root as string));
    if (typeof planned === 'string') {
      console.error(`dockyard validate: ${planned}`);
      return 1;
    }
    let checked = 0;
    const problems: string[] = [];
    const alone = [...planned.alone];
    for (const [root, paths] of planned.workspaces) {
      let validation;
      try {
        validation = await validateWorkspace({ root, baseRef });
      } catch (err) {
        if (!(err instanceof BaseRefError)) throw err;
        const source = flagRef !== undefined ? `--base ${err.ref}` : `DOCKYARD_BASE_REF=${err.ref}`;
        console.error(`dockyard validate: ${source}: ${err.reason} (${err.hint})`);
        return 1;
      }
      const scopes = paths.map((p) => ({
        path: p,
        rel: relative(root, resolve(p)),
        directory: statSync(p).isDirectory(),
      }));
      const covers = (s: (typeof scopes)[number], file: string) =>
        s.rel === file || (s.directory && (s.rel === '' || file.startsWith(`${s.rel}/`)));
      const report = reportFor(validation, (file) => scopes.length === 0 || scopes.some((s) => covers(s, file)));
      for (const scope of scopes) {
        if (validation.projects.some((p) => covers(scope, p.file))) continue;
        if (!scope.directory)
          alone.push(scope.path); // a file the workspace leaves out (.gitignore, .nxignore, another name)
        else {
          console.error(`dockyard validate: no project.yaml found under ${scope.path}`);
          return 1;
        }
      }
      checked += report.checked;
      problems.push(...report.problems);
    }
    for (const file of alone) {
      const loaded = await loadProjectFile(resolve(file), file);
      checked++;
      problems.push(...loaded.issues.map(formatIssue));
    }
    for (const problem of problems) console.error(problem);
    (problems.length ? console.error : console.log)(summaryLine(checked, problems.length));
    return problems.length ? 1 : 0;
  },
};
