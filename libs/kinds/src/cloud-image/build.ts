import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { sourceDateEpoch } from '@dockyard/files';
import type { ContentStore } from '@dockyard/oci';
import { versionFolder } from '@dockyard/container';
import { buildVmImage, repositoryArch, type RpmRepository, type VmArch, type VmImageBuild } from '@dockyard/vm-image';
import { prepareProject } from './prepare';
import { buildDir, diskSizeOf, packagesOf, type CloudImageProject } from './project';

export interface BuildOptions {
  store?: ContentStore;
  env?: NodeJS.ProcessEnv;
  /** Told when each image starts. */
  log?: (line: string) => void;
}

/**
 * The rpm repositories of one version and arch: the project's `repos` (folders relative to the project), else the
 * `everything` repository beside the base images (`<source.repo>/openEuler-<V>/everything/<arch>/`).
 */
export function repositoriesOf(project: CloudImageProject, version: string, arch: VmArch): RpmRepository[] {
  const local = (url: string) => (/^https?:\/\//.test(url) || isAbsolute(url) ? url : resolve(project.dir, url));
  if (project.spec.repos?.length) return project.spec.repos.map((r) => ({ ...r, url: local(r.url) }));
  const root = local(project.spec.source.repo).replace(/\/+$/, '');
  return [{ url: `${root}/${versionFolder(version)}/everything/${repositoryArch(arch)}/` }];
}

/** Prepares, then builds every version × arch into `dist/<name>/<version>/<arch>/`, one at a time. */
export async function buildProject(project: CloudImageProject, options: BuildOptions = {}): Promise<VmImageBuild[]> {
  const { store, bases } = await prepareProject(project, { store: options.store });
  const epoch = await sourceDateEpoch(project.dir, options.env);
  const cloudConfig = project.spec.cloudConfig
    ? await readFile(resolve(project.dir, project.spec.cloudConfig), 'utf8')
    : undefined;
  const builds: VmImageBuild[] = [];
  for (const base of bases) {
    options.log?.(`building ${project.spec.name} ${base.version} ${base.arch}`);
    builds.push(
      await buildVmImage({
        name: project.spec.name,
        base,
        store,
        repositories: repositoriesOf(project, base.version, base.arch),
        packages: packagesOf(project),
        cloudConfig,
        diskSize: diskSizeOf(project),
        epoch,
        outDir: buildDir(project, base.version, base.arch),
      }),
    );
  }
  return builds;
}
