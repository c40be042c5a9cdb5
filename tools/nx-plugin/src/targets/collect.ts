import { posix } from 'node:path';
import { usesLock } from './resolve';
import { ENGINE_INPUTS, type TargetInference, VERB_INPUTS, outputsOf, shownOutputs, verbTask } from './shared';

/**
 * `collect` is a pure function of project.yaml, the lock (exact tags, commits and chart digests)
 * and the local component folders, so it is cached on exactly those. It runs after `resolve`, which
 * leaves a reviewed lock alone and only fills in what project.yaml added (and which collects too, to list the
 * images it pins: ordered, the two never write dist/<project>/collect at once). The lock is hashed as
 * resolve's output, not as a plain file input: Nx snapshots plain files when the command starts,
 * so a lock written during the run would otherwise be hashed as missing.
 */
export const collectTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'Release' || !(project.spec.components ?? []).length) return undefined;
  const locked = usesLock(project.spec);
  const localFolders = (project.spec.components ?? [])
    .filter((c) => c.local !== undefined)
    .map((c) => `{workspaceRoot}/${posix.normalize(posix.join(project.root, c.local!))}/**/*`);
  return {
    ...verbTask('collect', project),
    cache: true,
    ...(locked ? { dependsOn: ['resolve'] } : {}),
    inputs: [
      '{projectRoot}/project.yaml',
      ...(locked ? [{ dependentTasksOutputFiles: '**/project.lock.yaml' }] : []),
      ...localFolders,
      ...ENGINE_INPUTS,
      ...VERB_INPUTS,
    ],
    outputs: [outputsOf(project).collect],
    metadata: {
      description: `Fetch the locked files of ${project.name}'s components into ${shownOutputs(project).collect}`,
    },
  };
};
