import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { findProjectFiles, loadProjectFile, workspaceRootOf } from '../../../../libs/spec/src';
import {
  describeLockChanges,
  formatImportedRelease,
  formatLockFile,
  importChartsList,
  lockFilePath,
  parseLockFile,
  type LockFile,
  resolveComponents,
  SourceError,
  staleLockIssues,
  writeLockFile,
} from '../../../../libs/sources/src';
import { writeFileAtomic } from '../../../../libs/files/src';
import { formatSourceIssue } from '../../../../libs/sources/src';
import { UsageError, type Command } from '../command';
import { releaseProjectOrReport } from '../release-project-arg';

const usage = `Usage: dockyard resolve [PROJECT] [--update] [--check]
       dockyard resolve --import charts_list.yaml --out DIR/project.yaml [--name NAME] [--git-base URL] [--token-file FILE] [--version V]

Turns each component's floating version (newest git tag, semver range, chart version, image
tag) into an exact one and writes project.lock.yaml beside project.yaml, printing what changed.
Like a package manager's lock, a locked entry that still satisfies project.yaml is kept as
reviewed (no network); new or changed components are looked up. --update looks up every one.

  PROJECT            a Release project.yaml or its folder (default: the current folder)
  --update           look every component up again for its newest allowed version
  --check            write nothing; exit 1 when resolving (with --update: updating) would change
                     the lock file, or it is missing (for CI)
  --import FILE      convert an old charts_list.yaml / release_charts.yaml into a new project.yaml
  --out FILE         where --import writes (refuses to overwrite, and refuses a name another
                     project of the workspace already has)
  --name NAME        project name of the imported release (default: its metadata.name)
  --git-base URL     prefix for repositoryFullName (default https://github.com)
  --token-file FILE  token file the imported components read (the old workflow used "token")
  --version V        version of the imported release (default v0.0.0)`;

export const resolveCommand: Command = {
  name: 'resolve',
  usage,
  options: {
    check: { type: 'boolean' },
    update: { type: 'boolean' },
    import: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    'git-base': { type: 'string' },
    'token-file': { type: 'string' },
    version: { type: 'string' },
  },
  async run({ values, positionals }) {
    if (values.import) return importCommand(values);
    if (positionals.length > 1) throw new UsageError(`one project at a time\n\n${usage}`);
    const project = await releaseProjectOrReport(positionals[0] ?? '.');
    if (!project) return 1;
    const lockFile = lockFilePath(project.dir);
    const current = existsSync(lockFile) ? await readFile(lockFile, 'utf8') : undefined;
    let before: LockFile | undefined;
    try {
      before = current === undefined ? undefined : parseLockFile(current, lockFile);
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      console.error(`${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    }
    const update = Boolean(values.update);
    const command = ['dockyard resolve', ...positionals, ...(update ? ['--update'] : [])].join(' ');
    const refused = values.check && !update ? staleLockIssues({ project: project.spec.name, components: project.spec.components ?? [], lock: before }) : [];
    if (refused.length > 0) {
      for (const issue of refused) console.error(formatSourceIssue(issue, project));
      console.error(`${lockFilePath(project.dir)} is ${current === undefined ? 'missing' : 'stale'}; run \`${command}\` and commit it`);
      return 1;
    }
    const { lock, issues } = await resolveComponents({ project: project.spec.name, dir: project.dir, components: project.spec.components ?? [], previous: before, update });
    if (issues.length > 0) {
      for (const issue of issues) console.error(formatSourceIssue(issue, project));
      console.error(`resolve: ${issues.length} component${issues.length === 1 ? '' : 's'} failed; ${lockFilePath(project.dir)} left unchanged`);
      return 1;
    }
    const changes = describeLockChanges(before, lock);
    if (current === undefined && Object.keys(lock.components).length === 0) {
      console.log(`nothing to resolve: ${project.file} has only local components, so it needs no lock file`);
      return 0;
    }
    const stale = current !== formatLockFile(lock);
    if (values.check) {
      if (!stale) {
        console.log(`${lockFilePath(project.dir)} is up to date`);
        return 0;
      }
      for (const line of changes) console.error(line);
      console.error(`${lockFilePath(project.dir)} is ${current === undefined ? 'missing' : 'stale'}; run \`${command}\` and commit it`);
      return 1;
    }
    if (stale) await writeLockFile(project.dir, lock);
    for (const line of changes) console.log(line);
    console.log(stale ? `wrote ${lockFilePath(project.dir)} (${changes.length} change${changes.length === 1 ? '' : 's'})` : `${lockFilePath(project.dir)} is up to date`);
    return 0;
  },
};

async function importCommand(values: Record<string, unknown>): Promise<number> {
  const from = values.import as string;
  const out = values.out as string | undefined;
  if (!out) throw new UsageError(`--import needs --out FILE (the new project.yaml)\n\n${usage}`);
  if (existsSync(out)) {
    console.error(`${out} already exists; choose another --out or remove it`);
    return 1;
  }
  try {
    const imported = importChartsList(await readFile(from, 'utf8'), from, {
      gitBase: values['git-base'] as string | undefined,
      tokenFile: values['token-file'] as string | undefined,
    });
    if (values.name !== undefined) imported.name = values.name as string;
    const target = resolvePath(out);
    const root = workspaceRootOf(dirname(target));
    const namesake = root ? await projectNamed(root, imported.name) : undefined;
    if (namesake) {
      console.error(`a project named "${imported.name}" already exists (${namesake}); project names are unique in the workspace, so pass --name with another name`);
      return 1;
    }
    const projectRoot = root ? relative(root, dirname(target)) || '.' : dirname(target);
    await writeFileAtomic(target, formatImportedRelease(imported, (values.version as string | undefined) ?? 'v0.0.0', projectRoot));
    console.log(`wrote ${out} with ${imported.components.length} components; run \`dockyard resolve ${out}\` next`);
    return 0;
  } catch (err) {
    if (!(err instanceof SourceError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    console.error(err instanceof SourceError ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : `cannot read ${from}`);
    return 1;
  }
}

/** The workspace-relative project.yaml of the project called `name` in the workspace at `root`, if any. */
async function projectNamed(root: string, name: string): Promise<string | undefined> {
  for (const file of await findProjectFiles(root)) {
    if ((await loadProjectFile(resolvePath(root, file), file)).name === name) return file;
  }
  return undefined;
}
