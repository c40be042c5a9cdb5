import { existsSync } from 'node:fs';
import { access, constants, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { makeDirectory } from '@dockyard/files';
import {
  CopyScheduler,
  describeTarget,
  isReservedHost,
  formatReference,
  pinnedJob,
  planSync,
  readImageLists,
  runSync,
  startProgress,
  writeSyncReport,
  MISS_IMAGE_FILE,
  MISS_PUSH_IMAGE_FILE,
  REPORT_FILE,
  type CredentialsSpec,
  type ImageListEntry,
  type Rewrite,
  type SyncJob,
} from '@dockyard/oci';
import type { Plugin, Release, SyncSpec } from '@dockyard/project-spec';
import { UsageError, type Command } from '../command';
import { projectAmong, projectFile } from '../project-arg';
import { positiveInt, registryOptions, registryOptionsHelp, registrySettings } from './copy';

const usage = `Usage: dockyard sync [LIST...] [PROJECT] [--from HOST] [--to TARGET]... [options]

Copies every image named in the list files (one \`project/name:tag\` per line; \`#\` comments
and blank lines skipped) from the source registry to each target. All images share one
scheduler: a blob is transferred once per target, unchanged images cost two HEAD requests,
and one failing image never stops the others.

  LIST                  image list files (images_platform.list format)
  PROJECT               a project.yaml or its folder (--project PROJECT is the same, and also takes
                        its name): read from/to/rewrites/lists/concurrency from its \`sync:\` section;
                        flags add to it (lists default to a Plugin's \`images:\`, or a Release's
                        dist/<project>/images/images.list); each image is read by the digest
                        project.lock.yaml pins (dockyard resolve writes it) and written under its tag
  --from HOST           source registry (default: the host written in each line)
  --to TARGET           a registry HOST[/PREFIX] (or docker://HOST[/PREFIX]), oci:DIR, or registry-dir:DIR;
                        repeatable
  --rewrite OLD=NEW     source path prefix rewrite, e.g. release/=devops_release/ (repeatable)
  --dry-run             print what would be copied; contact no registry
  --report DIR          write ${REPORT_FILE}, ${MISS_IMAGE_FILE} (unreadable sources) and
                        ${MISS_PUSH_IMAGE_FILE} (failed target writes) here (default: the current
                        directory, or dist/<project>/sync with a PROJECT)
  --image-concurrency N images in flight at once (default 24)
${registryOptionsHelp}

Exit status: 0 when every image reached every target, 1 when anything is missing, 2 for usage errors.`;

interface SyncInputs {
  lists: string[];
  /** Images named in project.yaml itself (a Plugin's `images:`). */
  entries: ImageListEntry[];
  from?: string;
  targets: string[];
  rewrites: Rewrite[];
  insecure: string[];
  credentials: Record<string, CredentialsSpec>;
  concurrency?: number;
  reportDir: string;
  baseDir?: string;
}

function parseRewrite(value: string): Rewrite {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--rewrite expects OLD=NEW, got "${value}"`);
  return { from: value.slice(0, eq), to: value.slice(eq + 1) };
}

export async function expandLists(patterns: string[], baseDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      files.push(resolve(baseDir, pattern));
      continue;
    }
    // Wildcards in the file name only (images/*.list): Node 20 has no fs.glob.
    const dir = resolve(baseDir, dirname(pattern));
    const name = new RegExp(
      `^${basename(pattern)
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    const entries = await readdir(dir).catch(() => [] as string[]);
    const matched = entries.filter((entry) => name.test(entry)).map((entry) => join(dir, entry));
    if (matched.length === 0) throw new UsageError(`no image list matches ${pattern} in ${baseDir}`);
    files.push(...matched.sort());
  }
  return files;
}

type ProjectSync = Omit<SyncInputs, 'reportDir'> & {
  name: string;
  root: string;
  file: string;
  dir: string;
  spec: Release | Plugin;
  imagesOutput?: string;
};

async function fromProject(arg: string): Promise<ProjectSync> {
  const file = await projectFile(arg);
  // Loaded here, not at the top: YAML and ajv are a third of a list-file sync's start-up.
  const { findWorkspaceRoot, formatIssue, loadProjectFile } = await import('@dockyard/project-spec');
  const project = await loadProjectFile(resolve(file), file);
  if (!project.spec) throw new Error(`${file} is not valid:\n${project.issues.map(formatIssue).join('\n')}`);
  const sync = (project.spec as { sync?: SyncSpec }).sync;
  if (!sync) throw new UsageError(`${file}: project "${project.name}" has no sync: section`);
  const root = findWorkspaceRoot(project.dir);
  const ownImages =
    project.spec.kind === 'Plugin' ? [project.spec.spec.service.image, ...(project.spec.images ?? [])] : [];
  const entries = ownImages.map((image) => ({ image, file, line: 0 }));
  // Without lists of its own a Release syncs what its images target wrote.
  const imagesOutput =
    sync.lists?.length || entries.length ? undefined : join(root, 'dist', project.name, 'images', 'images.list');
  const lists = sync.lists?.length ? await expandLists(sync.lists, project.dir) : imagesOutput ? [imagesOutput] : [];
  const endpoints = [sync.from, ...sync.to];
  const credentials: Record<string, CredentialsSpec> = {};
  for (const endpoint of endpoints) if (endpoint.credentials) credentials[endpoint.registry] = endpoint.credentials;
  return {
    name: project.name,
    root,
    file,
    dir: project.dir,
    spec: project.spec as Release | Plugin,
    lists,
    entries,
    from: sync.from.registry,
    targets: sync.to.map((t) => t.registry),
    rewrites: sync.from.rewrites ?? [],
    insecure: endpoints.filter((e) => e.insecure).map((e) => e.registry),
    credentials,
    concurrency: sync.concurrency,
    baseDir: project.dir,
    imagesOutput,
  };
}

/**
 * A project's images are copied by the digests its lock pins, so sync ships what bundle ships; the tag stays the
 * name written at every target. Images on documentation-only hosts are never locked and stay as named.
 */
async function pinnedToLock(project: ProjectSync, jobs: SyncJob[]): Promise<SyncJob[]> {
  const sources = await import('@dockyard/sources');
  const lock = await sources.readPinnedLock(
    { name: project.name, dir: project.dir, file: project.file },
    project.spec.kind === 'Release' ? project.spec.components : [],
  );
  const lockFile = sources.lockFilePath(project.dir);
  return jobs.map((job) => {
    const shipped = sources.syncedImage(project.spec, job.entry);
    return isReservedHost(shipped.source.registry)
      ? job
      : pinnedJob(job, sources.pinnedDigest(lock, shipped, lockFile));
  });
}

/** Creates the report folder and proves it writable before anything is copied. */
async function prepareReportDir(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(
      `--report ${dir}: cannot write the report there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); choose a writable folder`,
    );
  }
}

export const syncCommand: Command = {
  name: 'sync',
  usage,
  options: {
    ...registryOptions,
    from: { type: 'string' },
    to: { type: 'string', multiple: true },
    rewrite: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    report: { type: 'string' },
    'image-concurrency': { type: 'string' },
  },
  project: true,
  async run(args) {
    const { values } = args;
    const { project: projectArg, rest: lists } = projectAmong(args);
    const project = projectArg === undefined ? undefined : await fromProject(projectArg);
    const inputs: SyncInputs = {
      lists: [...(project?.lists ?? []), ...lists.map((p) => resolve(p))],
      entries: project?.entries ?? [],
      from: (values.from as string | undefined) ?? project?.from,
      targets: [...(project?.targets ?? []), ...((values.to as string[] | undefined) ?? [])],
      rewrites: [...((values.rewrite as string[] | undefined) ?? []).map(parseRewrite), ...(project?.rewrites ?? [])],
      insecure: project?.insecure ?? [],
      credentials: project?.credentials ?? {},
      concurrency: project?.concurrency,
      reportDir: resolve(
        (values.report as string | undefined) ?? (project ? join(project.root, 'dist', project.name, 'sync') : '.'),
      ),
      baseDir: project?.baseDir,
    };
    if (inputs.lists.length === 0 && inputs.entries.length === 0)
      throw new UsageError('name at least one image list file, or a PROJECT');
    if (inputs.targets.length === 0) throw new UsageError('name at least one --to target');
    // Every option is checked before anything happens, a dry run included.
    const settings = registrySettings(values, {
      insecure: inputs.insecure,
      credentials: inputs.credentials,
      baseDir: inputs.baseDir,
    });
    const imageConcurrency = positiveInt(values['image-concurrency'], 'image-concurrency');
    if (project?.imagesOutput && !existsSync(project.imagesOutput)) {
      console.error(
        `dockyard sync: ${relative(process.cwd(), project.imagesOutput)}: no image list yet; run the images target first (npx nx run ${project.name}:images, or dockyard images ${projectArg})`,
      );
      return 1;
    }
    let jobs;
    try {
      jobs = planSync(
        [...inputs.entries, ...(await readImageLists(inputs.lists))],
        inputs.from,
        inputs.targets,
        inputs.rewrites,
      );
      if (project) jobs = await pinnedToLock(project, jobs);
    } catch (err) {
      console.error(`dockyard sync: ${(err as Error).message}`);
      return 1;
    }
    const dryRun = Boolean(values['dry-run']);
    if (dryRun) {
      for (const job of jobs)
        for (const target of job.targets) console.log(`${formatReference(job.source)} -> ${describeTarget(target)}`);
      console.log(`dry run: ${jobs.length} image(s) to ${inputs.targets.length} target(s); nothing was copied`);
      return 0;
    }
    await prepareReportDir(inputs.reportDir);
    const scheduler = new CopyScheduler({
      concurrency: settings.concurrency ?? inputs.concurrency,
      retry: settings.retry,
    });
    const started = Date.now();
    let done = 0;
    const stopProgress = startProgress(process.stderr, () => ({
      imagesDone: done,
      imagesTotal: jobs.length,
      stats: scheduler.stats,
      elapsedMs: Date.now() - started,
    }));
    const report = await runSync(jobs, {
      pool: settings.pool,
      scheduler,
      platforms: settings.platforms,
      imageConcurrency,
      onImageDone: (outcome) => {
        done++;
        if (outcome.sourceError) console.error(`missing source ${outcome.source}: ${outcome.sourceError}`);
        for (const t of outcome.targets) if (t.status === 'failed') console.error(`failed ${t.target}: ${t.error}`);
      },
    });
    stopProgress();
    await writeSyncReport(inputs.reportDir, report);
    const copied = report.images.flatMap((i) => i.targets).filter((t) => t.status === 'copied').length;
    const unchanged = report.images.flatMap((i) => i.targets).filter((t) => t.status === 'unchanged').length;
    const where = relative(process.cwd(), inputs.reportDir) || '.';
    console.log(
      `${jobs.length} image(s): ${copied} copied, ${unchanged} unchanged, ${report.missingSources.length} unreadable, ${report.missingTargets.length} failed writes; report in ${where}/${REPORT_FILE}`,
    );
    if (report.missingSources.length) console.log(`see ${where}/${MISS_IMAGE_FILE}`);
    if (report.missingTargets.length) console.log(`see ${where}/${MISS_PUSH_IMAGE_FILE}`);
    return report.missingSources.length || report.missingTargets.length ? 1 : 0;
  },
};
