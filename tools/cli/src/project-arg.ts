import { statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { UsageError, type ParsedArgs } from './command';

// How every verb names a project: PROJECT is a project.yaml, the folder holding one, or a project's name in the
// workspace around the current folder; `--project PROJECT` (kept for scripts written before) is the same argument.

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Whether a path argument names a project rather than a file or folder of another kind (a list, a chart, a context). */
export function namesProject(path: string): boolean {
  return isFolder(path) ? isFile(join(path, 'project.yaml')) : basename(path) === 'project.yaml' && isFile(path);
}

/** The workspace-relative project.yaml of the project called `name` in the workspace at `root`, if any. */
export async function projectNamed(root: string, name: string): Promise<string | undefined> {
  const { findProjectFiles, loadProjectFile } = await import('@dockyard/project-spec');
  for (const file of await findProjectFiles(root)) {
    if ((await loadProjectFile(resolve(root, file), file)).name === name) return file;
  }
  return undefined;
}

/** The project.yaml PROJECT names, as a path from the current folder; a usage error when it names none. */
export async function projectFile(project: string): Promise<string> {
  const file = isFolder(project) ? join(project, 'project.yaml') : project;
  if (isFile(file)) return file;
  if (!isFolder(project) && !project.includes('/') && !project.includes(sep)) {
    const { workspaceRootOf } = await import('@dockyard/project-spec');
    const root = workspaceRootOf(process.cwd());
    const found = root ? await projectNamed(root, project) : undefined;
    if (root && found) return relative(process.cwd(), resolve(root, found));
  }
  throw new UsageError(
    `${file}: no such file, and no project of that name in the workspace (PROJECT is a project.yaml, the folder holding it, or a project's name)`,
  );
}

/** The PROJECT of a verb that takes no other argument: the positional or `--project`, if given. */
export function onlyProject(args: ParsedArgs): string | undefined {
  const given = [...(args.values.project === undefined ? [] : [args.values.project as string]), ...args.positionals];
  if (given.length > 1)
    throw new UsageError(
      `one PROJECT at a time (got ${given.join(', ')}; --project PROJECT is the same argument as PROJECT)`,
    );
  return given[0];
}

/** The PROJECT among a verb's other positionals: `--project`, or the positional that names a project; and the rest. */
export function projectAmong(args: ParsedArgs): { project?: string; rest: string[] } {
  const named = args.positionals.filter(namesProject);
  const project = [...(args.values.project === undefined ? [] : [args.values.project as string]), ...named];
  if (project.length > 1)
    throw new UsageError(
      `one PROJECT at a time (got ${project.join(', ')}; --project PROJECT is the same argument as PROJECT)`,
    );
  return { project: project[0], rest: args.positionals.filter((p) => !named.includes(p)) };
}
