import { hasVersions, onlyVersions } from '@dockyard/kinds';
import type { OpenedProject } from '@dockyard/project-spec';
import { UsageError, type ParsedArgs } from './command';

/** `--versions V[,V...]`: the verbs a `/build <project> <version>` runs take it (Nx passes it to each target). */
export const versionsOption = { versions: { type: 'string', multiple: true } } as const;

/** The project as the verb works on it: narrowed to `--versions` when given. */
export function withVersions<P extends OpenedProject>(project: P, values: ParsedArgs['values']): P {
  const versions = ((values.versions as string[] | undefined) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (!versions.length) return project;
  if (!hasVersions(project))
    throw new UsageError(
      `--versions chooses among the versions: an AppImage, ContainerImage or CloudImage lists; ${project.name} is a ${project.spec.kind} (one version, ${project.file}'s version:)`,
    );
  return onlyVersions(project, versions) as OpenedProject as P;
}
