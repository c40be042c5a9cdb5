import { CLI, type TargetInference } from './shared';

/**
 * `publish` uploads the bundle to the project's object stores and registries. It writes to remote
 * services, so it is never cached; re-running is cheap because an object of the same size and
 * sha256 is skipped and a re-pushed artifact has the same digest. `-c dry-run` prints the plan.
 */
export const publishTarget: TargetInference = (project) => {
  const spec = project.spec;
  if (
    (spec?.kind !== 'Release' && spec?.kind !== 'Plugin') ||
    !(spec.publish?.objectStore?.length || spec.publish?.oci?.length)
  )
    return undefined;
  const command = `${CLI} publish ${project.root}`;
  return {
    command,
    cache: false,
    dependsOn: ['bundle'],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: {
      description: `Upload ${project.name}'s bundle to its object stores and registries (use -c dry-run to preview)`,
    },
  };
};
