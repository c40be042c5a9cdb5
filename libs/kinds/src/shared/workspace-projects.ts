import { resolve } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { findProjectFiles, loadProjectFile, type Kind, type ProjectSpec } from '@dockyard/project-spec';

/** The valid projects of `kind` that `names` name in the workspace at `root`, in that order; an unknown name fails. */
export async function namedProjects<K extends Kind>(
  root: string,
  kind: K,
  names: string[],
  field: string,
): Promise<Extract<ProjectSpec, { kind: K }>[]> {
  if (!names.length) return [];
  const found = new Map<string, Extract<ProjectSpec, { kind: K }>>();
  for (const file of await findProjectFiles(root)) {
    const loaded = await loadProjectFile(resolve(root, file));
    if (loaded.spec?.kind === kind) found.set(loaded.spec.name, loaded.spec as Extract<ProjectSpec, { kind: K }>);
  }
  return names.map((name) => {
    const spec = found.get(name);
    if (!spec)
      throw new DockyardError(`${field} names ${name}, which is not a valid ${kind} project in the workspace`, {
        code: 'SHIPPED_UNKNOWN',
      });
    return spec;
  });
}
