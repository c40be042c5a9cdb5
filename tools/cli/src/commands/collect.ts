import { join, relative, resolve } from 'node:path';
import { collectComponents, readLockFile, SourceError } from '@dockyard/sources';
import { formatSourceIssue } from '@dockyard/sources';
import type { Command } from '../command';
import { namedFolder } from '../named-folder';
import { onlyProject, projectFile } from '../project-arg';
import { releaseProjectOrReport } from '../release-project-arg';

const usage = `Usage: dockyard collect [PROJECT] [--out DIR]

Fetches exactly the content locked in project.lock.yaml into dist/<project>/collect/<targetPath>/:
files of git components at their locked tags (shallow, only the listed paths), chart archives
(digest checked), local folders. Placeholders [[ name ]], [[ imageTagFromGitTag ]] and
[[ TagOfRepo(component) ]] are substituted. Two files on one path, an unknown placeholder or a
stale lock fail the run and leave the previous output as it was.

  PROJECT    a Release: its project.yaml, its folder or its name (default: the current folder);
             --project PROJECT is the same
  --out DIR  output folder (default: <workspace>/dist/<project>/collect)`;

export const collectCommand: Command = {
  name: 'collect',
  usage,
  options: { out: { type: 'string' } },
  project: true,
  async run(args) {
    const { values } = args;
    const project = await releaseProjectOrReport(await projectFile(onlyProject(args) ?? '.'));
    if (!project) return 1;
    let lock;
    try {
      lock = await readLockFile(project.dir);
    } catch (err) {
      const e = err as SourceError;
      console.error(`${e.message}${e.hint ? ` (${e.hint})` : ''}`);
      return 1;
    }
    const outDir = values.out
      ? await namedFolder('out', resolve(values.out as string))
      : join(project.workspaceRoot, 'dist', project.spec.name, 'collect');
    const { files, issues } = await collectComponents({
      project: project.spec.name,
      dir: project.dir,
      components: project.spec.components ?? [],
      placeholders: project.spec.placeholders,
      lock,
      outDir,
    });
    if (issues.length > 0) {
      for (const issue of issues) console.error(formatSourceIssue(issue, project));
      console.error(
        `collect: ${issues.length} problem${issues.length === 1 ? '' : 's'}; ${relative(process.cwd(), outDir) || outDir} left unchanged`,
      );
      return 1;
    }
    console.log(
      `collected ${files.length} file${files.length === 1 ? '' : 's'} into ${relative(process.cwd(), outDir) || outDir}`,
    );
    return 0;
  },
};
