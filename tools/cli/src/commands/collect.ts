import { resolve } from 'node:path';
import { collectProject } from '@dockyard/kinds/release';
import type { Command } from '../command';
import { optionList } from '../help';
import { namedFolder } from '../named-folder';
import { onlyProject, projectArg } from '../project-arg';
import { plural, shown } from '../words';

const usage = `Usage: dockyard collect [PROJECT] [--out DIR]

Fetches exactly the content locked in project.lock.yaml into dist/<project>/collect/<targetPath>/:
files of git components at their locked tags (shallow, only the listed paths), chart archives
(digest checked), local folders. Placeholders [[ name ]], [[ imageTagFromGitTag ]] and
[[ TagOfRepo(component) ]] are substituted. Two files on one path, an unknown placeholder or a
stale lock fail the run and leave the previous output as it was.

${optionList([
  [
    'PROJECT',
    'a Release: its project.yaml, its folder or its name (default: the current folder); --project PROJECT is the same',
  ],
  ['--out DIR', 'output folder (default: <workspace>/dist/<project>/collect)'],
])}`;

export const collectCommand: Command = {
  name: 'collect',
  usage,
  options: { out: { type: 'string' } },
  project: true,
  async run(args, output) {
    const project = await projectArg(onlyProject(args), ['Release']);
    const out = args.values.out as string | undefined;
    const collected = await collectProject(project, { outDir: out && (await namedFolder('out', resolve(out))) });
    for (const issue of collected.issues) output.error(issue);
    if (collected.issues.length) {
      output.error(`collect: ${plural(collected.issues.length, 'problem')}; ${shown(collected.outDir)} left unchanged`);
      return 1;
    }
    output.log(`collected ${plural(collected.files.length, 'file')} into ${shown(collected.outDir)}`);
    return 0;
  },
};
