import { access, constants } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { makeDirectory } from '@dockyard/files';
import type { ProjectSync } from '@dockyard/kinds';
import { pinnedToLock, syncPlan } from '@dockyard/kinds/release';
import {
  CopyScheduler,
  describeTarget,
  formatReference,
  planSync,
  readImageLists,
  runSync,
  startProgress,
  writeSyncReport,
  MISS_IMAGE_FILE,
  MISS_PUSH_IMAGE_FILE,
  REPORT_FILE,
  type Rewrite,
} from '@dockyard/oci';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { projectAmong, projectArg } from '../project-arg';
import { positiveInt, registryHelp, registryOptions, registrySettings } from '../registry-options';

const usage = `Usage: dockyard sync [LIST...] [PROJECT] [--from HOST] [--to TARGET]... [options]

Copies every image named in the list files (one \`project/name:tag\` per line; \`#\` comments
and blank lines skipped) from the source registry to each target. All images share one
scheduler: a blob is transferred once per target, unchanged images cost two HEAD requests,
and one failing image never stops the others.

${optionList([
  ['LIST', 'image list files (images_platform.list format)'],
  [
    'PROJECT',
    "a Release or Plugin: its project.yaml, its folder or its name (--project PROJECT is the same): read from/to/rewrites/lists/concurrency from its `sync:` section; flags add to it (lists default to a Plugin's `images:`, or a Release's dist/<project>/images/images.list); each image is read by the digest project.lock.yaml pins (dockyard resolve writes it) and written under its tag",
  ],
  ['--from HOST', 'source registry (default: the host written in each line)'],
  ['--to TARGET', 'a registry HOST[/PREFIX] (or docker://HOST[/PREFIX]), oci:DIR, or registry-dir:DIR; repeatable'],
  ['--rewrite OLD=NEW', 'source path prefix rewrite, e.g. release/=devops_release/ (repeatable)'],
  ['--dry-run', 'print what would be copied; contact no registry'],
  [
    '--report DIR',
    `write ${REPORT_FILE}, ${MISS_IMAGE_FILE} (unreadable sources) and ${MISS_PUSH_IMAGE_FILE} (failed target writes) here (default: the current directory, or dist/<project>/sync with a PROJECT)`,
  ],
  ['--image-concurrency N', 'images in flight at once (default 24)'],
  ...registryHelp(),
])}

Exit status: 0 when every image reached every target, 1 when anything is missing, 2 for usage errors.`;

function parseRewrite(value: string): Rewrite {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--rewrite expects OLD=NEW, got "${value}"`);
  return { from: value.slice(0, eq), to: value.slice(eq + 1) };
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
    ...registryOptions(),
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
    const { project: given, rest: lists } = projectAmong(args);
    const project = given === undefined ? undefined : await projectArg(given, ['Release', 'Plugin']);
    const planned: Partial<ProjectSync> = project ? await syncPlan(project) : {};
    const from = (values.from as string | undefined) ?? planned.from;
    const targets = [...(planned.targets ?? []), ...((values.to as string[] | undefined) ?? [])];
    const rewrites = [
      ...((values.rewrite as string[] | undefined) ?? []).map(parseRewrite),
      ...(planned.rewrites ?? []),
    ];
    const listFiles = [...(planned.lists ?? []), ...lists.map((p) => resolve(p))];
    if (listFiles.length === 0 && !planned.entries?.length)
      throw new UsageError('name at least one image list file, or a PROJECT');
    if (targets.length === 0) throw new UsageError('name at least one --to target');
    // Every option is checked before anything happens, a dry run included.
    const settings = registrySettings(values, project ?? {});
    const imageConcurrency = positiveInt(values['image-concurrency'], 'image-concurrency');
    let jobs = planSync([...(planned.entries ?? []), ...(await readImageLists(listFiles))], from, targets, rewrites);
    if (project) jobs = await pinnedToLock(project, jobs);
    if (values['dry-run']) {
      for (const job of jobs)
        for (const target of job.targets) console.log(`${formatReference(job.source)} -> ${describeTarget(target)}`);
      console.log(`dry run: ${jobs.length} image(s) to ${targets.length} target(s); nothing was copied`);
      return 0;
    }
    const reportDir = resolve((values.report as string | undefined) ?? planned.reportDir ?? '.');
    await prepareReportDir(reportDir);
    const scheduler = new CopyScheduler({
      concurrency: settings.concurrency ?? planned.concurrency,
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
    }).finally(stopProgress);
    await writeSyncReport(reportDir, report);
    const outcomes = report.images.flatMap((i) => i.targets);
    const count = (status: string) => outcomes.filter((t) => t.status === status).length;
    const where = relative(process.cwd(), reportDir) || '.';
    console.log(
      `${jobs.length} image(s): ${count('copied')} copied, ${count('unchanged')} unchanged, ${report.missingSources.length} unreadable, ${report.missingTargets.length} failed writes; report in ${where}/${REPORT_FILE}`,
    );
    if (report.missingSources.length) console.log(`see ${where}/${MISS_IMAGE_FILE}`);
    if (report.missingTargets.length) console.log(`see ${where}/${MISS_PUSH_IMAGE_FILE}`);
    return report.missingSources.length || report.missingTargets.length ? 1 : 0;
  },
};
