import { DockyardError } from '@dockyard/errors';
import { readVmImageBuild, type VmImageBuild } from '@dockyard/vm-image';
import { buildDir, variants, type CloudImageProject } from './project';

/** Every build of the project as `build` wrote it; one that is missing is an error naming it. */
export async function builtImages(project: CloudImageProject): Promise<VmImageBuild[]> {
  const builds: VmImageBuild[] = [];
  for (const { version, arch } of variants(project)) {
    const dir = buildDir(project, version, arch);
    const build = await readVmImageBuild(dir);
    if (!build)
      throw new DockyardError(`${dir}/build.json: not there (${project.spec.name} ${version} ${arch} is not built)`, {
        code: 'OUTPUT_MISSING',
        hint: `build ${project.spec.name} first`,
      });
    builds.push(build);
  }
  return builds;
}
