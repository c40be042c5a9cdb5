import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { findWorkspaceRoot, reportFor, validateWorkspace } from '../../../../libs/spec/src';
import type { Command } from '../command';

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
    const validation = await validateWorkspace({ root, baseRef });
    const scopes = positionals.map((p) => relative(root, resolve(p)));
    const inScope = (file: string) =>
      scopes.length === 0 || scopes.some((s) => s === file || s === '' || (isDirectory(resolve(root, s)) && file.startsWith(s + '/')));
    const report = reportFor(validation, inScope);
    if (scopes.length > 0 && report.checked === 0) {
      console.error(`dockyard validate: no project.yaml found under ${positionals.join(', ')}`);
      return 1;
    }
    for (const problem of report.problems) console.error(problem);
    (report.problems.length ? console.error : console.log)(report.summary);
    return report.problems.length ? 1 : 0;
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
