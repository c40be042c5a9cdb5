import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { writeFileAtomic } from '@dockyard/files';
import type { ResolveFacts } from '@dockyard/kinds';
import * as appImage from '@dockyard/kinds/app-image';
import * as plugin from '@dockyard/kinds/plugin';
import * as release from '@dockyard/kinds/release';
import { isKind, projectNamed, workspaceRootOf } from '@dockyard/project-spec';
import { formatImportedRelease, importChartsList } from '@dockyard/sources';
import { CopyScheduler } from '@dockyard/oci';
import { UsageError, type Command, type ParsedArgs } from '../command';
import { optionList } from '../help';
import type { Output } from '../output';
import { onlyProject, projectArg } from '../project-arg';
import { registrySettings } from '../registry-options';
import { plural } from '../words';

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

${optionList([
  [
    'PROJECT',
    'a Release, Plugin or AppImage: its project.yaml, its folder or its name (default: the current folder); --project PROJECT is the same',
  ],
  ['--update', 'look every component up again for its newest allowed version, and read every image digest again'],
  [
    '--check',
    "write nothing; exit 1 when resolving (with --update: updating) would change the lock file, it is missing, or a locked image's tag now points to another digest (for CI; reads every digest)",
  ],
  ['--import FILE', 'convert an old charts_list.yaml / release_charts.yaml into a new project.yaml'],
  [
    '--out FILE',
    'where --import writes (refuses to overwrite, and refuses a name another project of the workspace already has)',
  ],
  ['--name NAME', 'project name of the imported release (default: its metadata.name)'],
  ['--git-base URL', 'prefix for repositoryFullName (default https://github.com)'],
  ['--token-file FILE', 'token file the imported components read (the old workflow used "token")'],
  ['--version V', 'version of the imported release (default v0.0.0)'],
])}`;

/** What went wrong at a failed step, after its issues. */
const failedLine: Record<NonNullable<ResolveFacts['failed']>, (facts: ResolveFacts) => string> = {
  components: (f) => `${plural(f.issues.length, 'component')} failed`,
  shipped: () => 'listing what the project ships failed',
  images: (f) => `${plural(f.issues.length, 'image')} failed`,
};

function print(facts: ResolveFacts, file: string, command: string, output: Output): number {
  for (const line of facts.warnings) output.error(line.startsWith('warning: ') ? line : `warning: ${line}`);
  for (const line of facts.notes) output.log(line);
  for (const issue of facts.issues) output.error(issue);
  const { lockFile, changes } = facts;
  const rerun = `${lockFile} is ${facts.missing ? 'missing' : 'stale'}; run \`${command}\` and commit it`;
  switch (facts.status) {
    case 'refused':
      output.error(rerun);
      return 1;
    case 'failed':
      output.error(`resolve: ${failedLine[facts.failed!](facts)}; ${lockFile} left unchanged`);
      return 1;
    case 'nothing':
      output.log(
        `nothing to resolve: ${file} has no git, helm or image component and ships no image a registry can name, so it needs no lock file`,
      );
      return 0;
    case 'stale':
      for (const line of changes) output.error(line);
      output.error(rerun);
      return 1;
    case 'current':
      output.log(`${lockFile} is up to date`);
      return 0;
    case 'written':
      for (const line of changes) output.log(line);
      output.log(`wrote ${lockFile} (${plural(changes.length, 'change')})`);
      return 0;
  }
}

async function importCommand(values: ParsedArgs['values'], output: Output): Promise<number> {
  const from = values.import as string;
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('--import needs --out FILE (the new project.yaml)');
  if (existsSync(out)) {
    output.error(`${out} already exists; choose another --out or remove it`);
    return 1;
  }
  const text = await readFile(from, 'utf8').catch(() => undefined);
  if (text === undefined) {
    output.error(`cannot read ${from}`);
    return 1;
  }
  const imported = importChartsList(text, from, {
    gitBase: values['git-base'] as string | undefined,
    tokenFile: values['token-file'] as string | undefined,
  });
  if (values.name !== undefined) imported.name = values.name as string;
  const target = resolvePath(out);
  const root = workspaceRootOf(dirname(target));
  const namesake = root ? await projectNamed(root, imported.name) : undefined;
  if (namesake) {
    output.error(
      `a project named "${imported.name}" already exists (${namesake}); project names are unique in the workspace, so pass --name with another name`,
    );
    return 1;
  }
  const projectRoot = root ? relative(root, dirname(target)) || '.' : dirname(target);
  await writeFileAtomic(
    target,
    formatImportedRelease(imported, (values.version as string | undefined) ?? 'v0.0.0', projectRoot),
  );
  output.log(`wrote ${out} with ${imported.components.length} components; run \`dockyard resolve ${out}\` next`);
  return 0;
}

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
  async run(args, output) {
    const { values } = args;
    if (values.import) return importCommand(values, output);
    const given = onlyProject(args);
    const project = await projectArg(given, ['Release', 'Plugin', 'AppImage']);
    // Digests are read with the credentials project.yaml names for its registries, as sync and bundle read images.
    const settings = registrySettings({}, project);
    const options = { update: Boolean(values.update), check: Boolean(values.check), pool: settings.pool };
    const facts = isKind(project, 'Release')
      ? await release.resolveProject(project, options)
      : isKind(project, 'Plugin')
        ? await plugin.resolveProject(project, options)
        : await appImage.resolveProject(project as appImage.AppImageProject, {
            ...options,
            scheduler: new CopyScheduler({ retry: settings.retry }),
          });
    const command = [
      'dockyard resolve',
      ...(given === undefined ? [] : [given]),
      ...(options.update ? ['--update'] : []),
    ];
    return print(facts, project.file, command.join(' '), output);
  },
};
