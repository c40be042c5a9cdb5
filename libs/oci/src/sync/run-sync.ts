import { copyImage, type CopyOptions } from '../copy/copy-image';
import { CopyFailure, CopyScheduler, type SchedulerOptions } from '../copy/scheduler';
import { locationContext, type LocationContext } from '../location/transport';
import { formatLocation, openSource, openTarget, type Location } from '../location/transports';
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

/** How a target is named in the report and miss files: registries as bare references, the way sync.sh listed them. */
export function describeTarget(location: Location): string {
  return location.transport === 'docker' ? formatReference(location.ref) : formatLocation(location);
}

async function runJob(
  job: SyncJob,
  scheduler: CopyScheduler,
  context: LocationContext,
  options: CopyOptions,
): Promise<ImageOutcome> {
  const sourceLocation: Location = { transport: 'docker', ref: job.source };
  const outcome: ImageOutcome = {
    image: job.path,
    listFile: job.entry.file,
    line: job.entry.line,
    source: formatReference(job.source),
    sourceStatus: 'ok',
    targets: [],
  };
  const source = openSource(sourceLocation, context);
  const results = await Promise.all(
    job.targets.map(async (location): Promise<TargetOutcome> => {
      const target = describeTarget(location);
      try {
        const result = await copyImage(scheduler, source, openTarget(location, context, sourceLocation), options);
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
  const context = locationContext(options.pool);
  const images = await mapLimited(jobs, options.imageConcurrency ?? 24, async (job) => {
    const outcome = await runJob(job, scheduler, context, options);
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
