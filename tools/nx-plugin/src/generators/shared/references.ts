import type { Kind, LoadedProject } from '@dockyard/project-spec';

/** Checks that every name given to an option names an existing project of the expected kind. */
export function requireProjects(
  projects: readonly LoadedProject[],
  names: readonly string[],
  kind: Kind,
  option: string,
): void {
  for (const name of names) {
    const project = projects.find((p) => p.name === name);
    if (!project) {
      const known = projects.filter((p) => p.kind === kind).map((p) => p.name);
      throw new Error(
        `${option}: no project named "${name}"; existing ${kind} projects: ${known.length ? known.join(', ') : 'none'}`,
      );
    }
    if (project.kind !== kind)
      throw new Error(
        `${option}: "${name}" (${project.file}) has kind ${project.kind ?? 'unknown (the file does not load)'}, not ${kind}`,
      );
  }
}
