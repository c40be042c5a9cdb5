import { CLI, type TargetInference } from './shared';

/**
 * `resolve` asks git hosts, Helm repositories and registries for the newest versions and rewrites
 * project.lock.yaml in the source tree, so it is never cached and nothing depends on it: the lock
 * is reviewed and committed, and every later target reads that file.
 */
export const resolveTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'Release') return undefined;
  if (!(project.spec.components ?? []).some((c) => c.git || c.helm || c.image)) return undefined;
  return {
    command: `${CLI} resolve ${project.root}`,
    cache: false,
    configurations: { check: { command: `${CLI} resolve ${project.root} --check` } },
    metadata: {
      description: `Pin the components of ${project.name} into ${project.root}/project.lock.yaml (use -c check in CI)`,
      technologies: ['dockyard'],
    },
  };
};
