import { checkProject, type ContainerProject } from '@dockyard/kinds/container-image';
import { isKind } from '@dockyard/project-spec';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { onlyProject, projectArg } from '../project-arg';
import { checkCloudImage } from './cloud-image';
import { versionsOption, withVersions } from '../versions-option';

const usage = `Usage: dockyard check PROJECT [--versions V[,V...]]

Checks what \`dockyard build PROJECT\` built for a ContainerImage project, on every arch, in
the Docker engine at DOCKER_HOST (foreign arches under qemu-user-static): OS linux, the expected arch
(also uname -m inside), the timezone (check.timezone, default UTC), for base images that
/etc/os-release VERSION (lower-cased, spaces → -) is the tag; then check.script with DOCKER_TAG,
DOCKER_IMAGE (the engine-local image) and DOCKER_PLATFORM set. Writes a JUnit report to
dist/<name>/check/junit.xml and exits 1 when a check failed. A CloudImage's images are checked offline
(os-release, the rpm list, machine-id, ssh host keys, root lock, cloud-init, sshd, clean-up), and each
booted under qemu TCG (amd64 and arm64) with a NoCloud seed (cloud-init runs the user-data, os-release, a new machine-id).

${optionList([
  [
    'PROJECT',
    'a ContainerImage or CloudImage: its project.yaml, its folder or its name; --project PROJECT is the same',
  ],
  ['--versions V[,V...]', 'check only these of its versions (each must have been built)'],
])}

Example:
  dockyard check releases/containers/openeuler`;

export const checkCommand: Command = {
  name: 'check',
  usage,
  options: { ...versionsOption },
  project: true,
  async run(args) {
    const given = onlyProject(args);
    if (given === undefined) throw new UsageError('name the ContainerImage or CloudImage PROJECT to check');
    const project = withVersions(await projectArg(given, ['ContainerImage', 'CloudImage']), args.values);
    if (isKind(project, 'CloudImage')) return checkCloudImage(project);
    const result = await checkProject(project as ContainerProject, {
      log: (line) => console.error(line),
    });
    for (const c of result.cases)
      console.log(
        `${c.failure === undefined ? 'ok  ' : 'FAIL'} ${c.suite} ${c.name}${c.failure === undefined ? '' : `: ${c.failure}`}`,
      );
    console.log(`${result.cases.length - result.failed} passed, ${result.failed} failed; report ${result.report}`);
    return result.failed ? 1 : 0;
  },
};
