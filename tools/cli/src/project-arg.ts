import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openProject, type Kind, type OpenedProject, type ProjectSpec } from '@dockyard/project-spec';
import { UsageError, type ParsedArgs } from './command';

// How every verb names a project: PROJECT is a project.yaml, the folder holding one, or a project's name in the
// workspace around the current folder (libs/project-spec's openProject reads all three); `--project PROJECT`
// (kept for scripts written before) is the same argument.

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** Whether a path argument names a project rather than a file or folder of another kind (a list, a chart, a context). */
function namesProject(path: string): boolean {
  return isFolder(path) ? isFile(join(path, 'project.yaml')) : basename(path) === 'project.yaml' && isFile(path);
}

function oneProject(given: string[]): string | undefined {
  if (given.length > 1)
    throw new UsageError(
      `one PROJECT at a time (got ${given.join(', ')}; --project PROJECT is the same argument as PROJECT)`,
    );
  return given[0];
}

const projectFlag = (args: ParsedArgs) => (args.values.project === undefined ? [] : [args.values.project as string]);

/** The PROJECT of a verb that takes no other argument: the positional or `--project`, if given. */
export function onlyProject(args: ParsedArgs): string | undefined {
  return oneProject([...projectFlag(args), ...args.positionals]);
}

/** The PROJECT among a verb's other positionals: `--project`, or the positional that names a project; and the rest. */
export function projectAmong(args: ParsedArgs): { project?: string; rest: string[] } {
  const named = args.positionals.filter(namesProject);
  return {
    project: oneProject([...projectFlag(args), ...named]),
    rest: args.positionals.filter((p) => !named.includes(p)),
  };
}

/** The project PROJECT names (default: the current folder's), when it is one of `kinds`. */
export function projectArg<K extends Kind>(
  arg: string | undefined,
  kinds: readonly K[],
): Promise<OpenedProject<Extract<ProjectSpec, { kind: K }>>> {
  return openProject(arg, process.cwd(), kinds);
}
