import { posix } from 'node:path';
import { CLI, engineInputs, type TargetInference } from './shared';

/**
 * `collect` is a pure function of project.yaml, the committed lock (exact tags, commits and chart
 * digests) and the local component folders, so it is cached on exactly those.
 */
export const collectTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'Release' || !(project.spec.components ?? []).length) return undefined;
  const localFolders = (project.spec.components ?? [])
    .filter((c) => c.local !== undefined)
    .map((c) => `{workspaceRoot}/${posix.normalize(posix.join(project.root, c.local!))}/**/*`);
  return {
    command: `${CLI} collect ${project.root}`,
    cache: true,
    inputs: [
      '{projectRoot}/project.yaml',
      '{projectRoot}/project.lock.yaml',
      ...localFolders,
      ...engineInputs('sources', 'discover'),
      { externalDependencies: ['tar'] },
    ],
    outputs: [`{workspaceRoot}/dist/${project.name}/collect`],
    metadata: {
      description: `Fetch the locked files of ${project.name}'s components into dist/${project.name}/collect`,
      technologies: ['dockyard'],
    },
  };
};
