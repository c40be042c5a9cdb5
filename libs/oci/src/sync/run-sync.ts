import { copyImage, type CopyOptions } from '../copy/copy-image';
import { CopyFailure, CopyScheduler, type SchedulerOptions } from '../copy/scheduler';
import { openSource, openTarget, type Location } from '../location/parse-location';
import type { RegistryPool } from '../location/registry-pool';
import { formatReference } from '../reference';
import type { SyncJob } from './sync-plan';
import type { ImageOutcome, SyncReport, TargetOutcome } from './sync-report';

export interface RunSyncOptions extends SchedulerOptions, CopyOptions {
  pool: RegistryPool;
  /** Images copied at the same time (blob transfers are further limited per endpoint). */
  imageConcurrency?: number;
  onImageDone?: (outcome: ImageOutcome) => void;
  scheduler?: CopyScheduler;
}

export function describeLocation(location: Location): string {
  switch (location.transport) {
    case 'docker':
      return formatReference(location.ref);
    case 'oci':
      return `oci:${location.dir}:${location.ref ?? ''}`;
    case 'docker-archive':
      return `docker-archive:${location.file}${location.ref ? `:${location.ref}` : ''}`;
    case 'registry-dir':
      return `registry-dir:${location.dir}:${location.repository}:${location.tag}`;
  }
}

async function runJob(job: SyncJob, scheduler: CopyScheduler, options: RunSyncOptions): Promise<ImageOutcome> {
  const sourceLocation: Location = { transport: 'docker', ref: job.source };
  const outcome: ImageOutcome = { image: job.path, listFile: job.entry.file, line: job.entry.line, source: formatReference(job.source), sourceStatus: 'ok', targets: [] };
  const source = openSource(sourceLocation, options.pool);
  const results = await Promise.all(
    job.targets.map(async (location): Promise<TargetOutcome> => {
      const target = describeLocation(location);
      try {
        const result = await copyImage(scheduler, source, openTarget(location, options.pool, sourceLocation), options);
        return { target, status: result.status, digest: result.digest };
      } catch (err) {
        const side = err instanceof CopyFailure ? err.side : 'target';
        if (side === 'source') {
          outcome.sourceStatus = 'failed';
          outcome.sourceError ??= (err as Error).message;
          return { target, status: 'skipped', error: 'source could not be read' };
        }
        return { target, status: 'failed', error: (err as Error).message };
      }
    }),
  );
  outcome.targets = results;
  return outcome;
}

async function mapLimited<T, R>(items: T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Copies every job to every target with one shared scheduler. Failures are recorded per image
 * and target; nothing stops the rest of the run.
 */
export async function runSync(jobs: SyncJob[], options: RunSyncOptions): Promise<SyncReport> {
  const started = Date.now();
  const scheduler = options.scheduler ?? new CopyScheduler(options);
  const images = await mapLimited(jobs, options.imageConcurrency ?? 24, async (job) => {
    const outcome = await runJob(job, scheduler, options);
    options.onImageDone?.(outcome);
    return outcome;
  });
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    images,
    missingSources: images.filter((i) => i.sourceStatus === 'failed').map((i) => i.source),
    missingTargets: images.flatMap((i) => i.targets.filter((t) => t.status === 'failed').map((t) => t.target)),
    stats: scheduler.stats,
  };
}
