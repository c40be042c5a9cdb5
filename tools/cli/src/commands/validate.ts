import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatIssue, validateWorkspace } from '../../../../libs/spec/src';
import type { Command } from '../command';
import { findWorkspaceRoot } from '../workspace-root';

const usage = `Usage: dockyard validate [PATH...] [--root DIR] [--base REF]

Checks project.yaml files against their kind's schema and the workspace rules:
unique project names, existing references, no slot or port shared by two plugins,
plugin versions that increase against a base git ref, app version folders.

  PATH         project.yaml files or folders to report on (default: the whole workspace)
  --root DIR   workspace root (default: the nearest folder with nx.json)
  --base REF   git ref plugin versions must increase against (default: $DOCKYARD_BASE_REF)

Exit status is 1 when any problem is found; every problem is printed as FILE:LINE:COL.`;

export const validateCommand: Command = {
  name: 'validate',
  usage,
  options: { root: { type: 'string' }, base: { type: 'string' } },
  async run({ values, positionals }) {
    const root = resolve((values.root as string | undefined) ?? findWorkspaceRoot());
    const baseRef = (values.base as string | undefined) ?? (process.env.DOCKYARD_BASE_REF || undefined);
    const { projects, issues } = await validateWorkspace({ root, baseRef });
    const scopes = positionals.map((p) => relative(root, resolve(p)));
    const inScope = (file: string) =>
      scopes.length === 0 || scopes.some((s) => s === file || s === '' || (isDirectory(resolve(root, s)) && file.startsWith(s + '/')));
    const shown = issues.filter((i) => inScope(i.file));
    const checked = projects.filter((p) => inScope(p.file)).length;
    if (scopes.length > 0 && checked === 0) {
      console.error(`dockyard validate: no project.yaml found under ${positionals.join(', ')}`);
      return 1;
    }
    for (const issue of shown) console.error(formatIssue(issue));
    const summary = `${checked} project${checked === 1 ? '' : 's'} checked, ${shown.length} problem${shown.length === 1 ? '' : 's'}`;
    (shown.length ? console.error : console.log)(summary);
    return shown.length ? 1 : 0;
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
