import { resolve } from 'node:path';
import { importImageTree, prepareProject, type ContainerProject } from '@dockyard/kinds/container-image';
import { findWorkspaceRoot, isKind } from '@dockyard/project-spec';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { onlyProject, projectArg } from '../project-arg';
import { prepareCloudImage } from './cloud-image';
import { versionsOption, withVersions } from '../versions-option';

const usage = `Usage: dockyard prepare PROJECT [--versions V[,V...]]
       dockyard prepare --import TREE --registry HOST --namespace NS

Fetches the openEuler base archives a ContainerImage project builds from, one per version and arch:
<base.repo>/openEuler-<VERSION>/<index>/<arch>/openEuler-docker.<arch>.tar.xz, checked against the
.sha256sum beside it. base.index is release (docker_img), update/YYYY-MM-DD, update/current, or
update alone for the newest dated update folder the repository lists. Archives land in the shared
content store ($DOCKYARD_STORE, else ~/.cache/dockyard/store) by digest: a second prepare fetches
nothing, an interrupted one resumes. \`dockyard build PROJECT\` prepares too.

${optionList([
  [
    'PROJECT',
    'a ContainerImage, or a CloudImage (its VM base images, virtual_machine_img/<arch>/openEuler-<V>-<arch>.qcow2.xz, the same way): its project.yaml, its folder or its name; --project PROJECT is the same',
  ],
  [
    '--import TREE',
    'instead, turn an openeuler-docker-images style tree (category folders with image-list.yml; image folders with meta.yml, or <app-ver>/<os-ver>/Dockerfile folders for which a meta.yml with <version>-oe<os> tags is written) into one ContainerImage project.yaml per image, beside its meta.yml; existing project.yaml files are kept',
  ],
  ['--versions V[,V...]', 'fetch the base archives of only these of its versions'],
  ['--registry HOST', 'with --import: the registry the projects publish to'],
  ['--namespace NS', 'with --import: images go to NS/<image>'],
])}

Examples:
  dockyard prepare releases/containers/openeuler
  dockyard prepare --import ../openeuler-docker-images --registry docker.io --namespace openeuler`;

export const prepareCommand: Command = {
  name: 'prepare',
  usage,
  options: {
    import: { type: 'string' },
    registry: { type: 'string' },
    namespace: { type: 'string' },
    ...versionsOption,
  },
  project: true,
  async run(args) {
    const { values } = args;
    const given = onlyProject(args);
    if (values.import !== undefined) {
      if (given !== undefined || values.versions || !values.registry || !values.namespace)
        throw new UsageError(
          '--import takes TREE with --registry HOST and --namespace NS, and no PROJECT or --versions',
        );
      const tree = resolve(values.import as string);
      const imported = await importImageTree(tree, findWorkspaceRoot(tree), {
        registry: values.registry as string,
        namespace: values.namespace as string,
      });
      for (const image of imported)
        console.log(
          `${image.status === 'written' ? 'wrote' : 'kept '} ${image.project}${image.metaGenerated ? ' (and meta.yml)' : ''}`,
        );
      return 0;
    }
    if (given === undefined)
      throw new UsageError('name the ContainerImage or CloudImage PROJECT to prepare (or --import TREE)');
    const project = withVersions(await projectArg(given, ['ContainerImage', 'CloudImage']), values);
    if (isKind(project, 'CloudImage')) return prepareCloudImage(project);
    const { store, bases } = await prepareProject(project as ContainerProject);
    for (const base of bases)
      console.log(
        `${base.fetched ? 'fetched' : 'present'} ${base.version} ${base.arch} ${base.index} ${base.digest} ${base.url}`,
      );
    console.log(
      `${bases.filter((b) => b.fetched).length} fetched, ${bases.filter((b) => !b.fetched).length} already in ${store.dir}`,
    );
    return 0;
  },
};
