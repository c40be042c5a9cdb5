import { ENGINE_INPUTS, type TargetInference, VERB_INPUTS, outputsOf, shownOutputs, verbTask } from './shared';

/** `images` reads only what `collect` produced plus the images: settings, so it reruns only when those change. */
export const imagesTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'Release' || !(project.spec.components ?? []).length) return undefined;
  return {
    ...verbTask('images', project),
    cache: true,
    dependsOn: ['collect'],
    inputs: ['{projectRoot}/project.yaml', { dependentTasksOutputFiles: '**/*' }, ...ENGINE_INPUTS, ...VERB_INPUTS],
    outputs: [outputsOf(project).images],
    metadata: {
      description: `List every image ${project.name}'s collected charts and manifests run (${shownOutputs(project).images}/images.list, and images.json marking optional and helm-test images)`,
    },
  };
};
