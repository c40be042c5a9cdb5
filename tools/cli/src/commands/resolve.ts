import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { formatReference } from '@dockyard/oci';
import { workspaceRootOf } from '@dockyard/project-spec';
import {
  describeLockChanges,
  formatImportedRelease,
  formatLockFile,
  importChartsList,
  loadLockedProject,
  lockFilePath,
  parseLockFile,
  pinImages,
  type LockFile,
  resolveComponents,
  SourceError,
  staleLockIssues,
  writeLockFile,
} from '@dockyard/sources';
import { writeFileAtomic } from '@dockyard/files';
import { formatSourceIssue } from '@dockyard/sources';
import { UsageError, type Command } from '../command';
import { onlyProject, projectFile, projectNamed } from '../project-arg';
import { registryPool, shippedImagesOf } from './shipped-images';

const usage = `Usage: dockyard resolve [PROJECT] [--update] [--check]
       dockyard resolve --import charts_list.yaml --out DIR/project.yaml [--name NAME] [--git-base URL] [--token-file FILE] [--version V]

Turns each component's floating version (newest git tag, semver range, chart version, image
tag) into an exact one, and pins every image the project ships (a Release's image list and
extras, its release image; a Plugin's images; an AppImage's discovered images) to the digest its
tag points to now, writing project.lock.yaml beside project.yaml and printing what changed.
Cached targets (bundle, build, sync) read images by those digests, never by tag. A Release's
image list comes from its collected charts, so resolve collects and lists them on the way
(into dist/<project>/collect and images). Like a package manager's lock, an entry that still
satisfies project.yaml is kept as reviewed (no network); new ones are looked up, --update
looks up every one. Images on documentation-only hosts (example.com, RFC 2606) are skipped.

  PROJECT            a Release, Plugin or AppImage: its project.yaml, its folder or its name
                     (default: the current folder); --project PROJECT is the same
  --update           look every component up again for its newest allowed version, and read
                     every image digest again
  --check            write nothing; exit 1 when resolving (with --update: updating) would change
                     the lock file, it is missing, or a locked image's tag now points to another
                     digest (for CI; reads every digest)
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
  project: true,
  async run(args) {
    const { values } = args;
    if (values.import) return importCommand(values);
    const given = onlyProject(args);
    const loaded = await loadLockedProject(await projectFile(given ?? '.'));
    if ('errors' in loaded) {
      for (const line of loaded.errors) console.error(line);
      return 1;
    }
    const { project } = loaded;
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
    const command = ['dockyard resolve', ...(given === undefined ? [] : [given]), ...(update ? ['--update'] : [])].join(
      ' ',
    );
    const components = project.spec.kind === 'Release' ? (project.spec.components ?? []) : [];
    const refused =
      values.check && !update ? staleLockIssues({ project: project.spec.name, components, lock: before }) : [];
    if (refused.length > 0) {
      for (const issue of refused) console.error(formatSourceIssue(issue, project));
      console.error(`${lockFile} is ${current === undefined ? 'missing' : 'stale'}; run \`${command}\` and commit it`);
      return 1;
    }
    const { lock, issues } = await resolveComponents({
      project: project.spec.name,
      dir: project.dir,
      components,
      previous: before,
      update,
    });
    if (issues.length > 0) {
      for (const issue of issues) console.error(formatSourceIssue(issue, project));
      console.error(
        `resolve: ${issues.length} component${issues.length === 1 ? '' : 's'} failed; ${lockFile} left unchanged`,
      );
      return 1;
    }
    const shipped = await shippedImagesOf(project, lock);
    if (typeof shipped === 'number') return shipped;
    if (shipped.skipped.length)
      console.log(
        `not locked: ${shipped.skipped.map((s) => formatReference(s.source)).join(', ')} (documentation-only hosts, RFC 2606, that never resolve)`,
      );
    // A check reads every digest again: a tag that moved since the lock was written is what it exists to catch.
    const pinned = await pinImages({
      images: shipped.images,
      previous: before?.images,
      reread: update || Boolean(values.check),
      pool: registryPool(project),
    });
    if (pinned.issues.length > 0) {
      for (const issue of pinned.issues) console.error(formatSourceIssue(issue, project));
      console.error(
        `resolve: ${pinned.issues.length} image${pinned.issues.length === 1 ? '' : 's'} failed; ${lockFile} left unchanged`,
      );
      return 1;
    }
    lock.images = pinned.images;
    const changes = describeLockChanges(before, lock);
    if (
      current === undefined &&
      Object.keys(lock.components).length === 0 &&
      Object.keys(lock.images ?? {}).length === 0
    ) {
      console.log(
        `nothing to resolve: ${project.file} has no git, helm or image component and ships no image a registry can name, so it needs no lock file`,
      );
      return 0;
    }
    const stale = current !== formatLockFile(lock);
    if (values.check) {
      if (!stale) {
        console.log(`${lockFile} is up to date`);
        return 0;
      }
      for (const line of changes) console.error(line);
      console.error(`${lockFile} is ${current === undefined ? 'missing' : 'stale'}; run \`${command}\` and commit it`);
      return 1;
    }
    if (stale) await writeLockFile(project.dir, lock);
    for (const line of changes) console.log(line);
    console.log(
      stale
        ? `wrote ${lockFile} (${changes.length} change${changes.length === 1 ? '' : 's'})`
        : `${lockFile} is up to date`,
    );
    return 0;
  },
};

async function importCommand(values: Record<string, unknown>): Promise<number> {
  const from = values.import as string;
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('--import needs --out FILE (the new project.yaml)');
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
      console.error(
        `a project named "${imported.name}" already exists (${namesake}); project names are unique in the workspace, so pass --name with another name`,
      );
      return 1;
    }
    const projectRoot = root ? relative(root, dirname(target)) || '.' : dirname(target);
    await writeFileAtomic(
      target,
      formatImportedRelease(imported, (values.version as string | undefined) ?? 'v0.0.0', projectRoot),
    );
    console.log(`wrote ${out} with ${imported.components.length} components; run \`dockyard resolve ${out}\` next`);
    return 0;
  } catch (err) {
    if (!(err instanceof SourceError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    console.error(
      err instanceof SourceError ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : `cannot read ${from}`,
    );
    return 1;
  }
}
