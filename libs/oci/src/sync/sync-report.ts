import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@dockyard/files';
import type { TransferStats } from '../copy/scheduler';

export interface TargetOutcome {
  target: string;
  status: 'copied' | 'unchanged' | 'failed' | 'skipped';
  digest?: string;
  error?: string;
}

export interface ImageOutcome {
  image: string;
  listFile: string;
  line: number;
  source: string;
  /** `failed` when the source could not be read; target failures are listed per target. */
  sourceStatus: 'ok' | 'failed';
  sourceError?: string;
  targets: TargetOutcome[];
}

export interface SyncReport {
  startedAt: string;
  durationMs: number;
  images: ImageOutcome[];
  missingSources: string[];
  missingTargets: string[];
  stats: TransferStats;
}

export const MISS_IMAGE_FILE = 'miss_image.txt';
export const MISS_PUSH_IMAGE_FILE = 'miss_push_image.txt';
export const REPORT_FILE = 'sync-report.json';

/**
 * Writes `sync-report.json` and the two miss files of the old sync.sh. Miss files exist only
 * when something is missing, so a stale one never blocks packaging after a good re-run.
 */
export async function writeSyncReport(dir: string, report: SyncReport): Promise<void> {
  await writeFileAtomic(join(dir, REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
  for (const [file, lines] of [
    [MISS_IMAGE_FILE, report.missingSources],
    [MISS_PUSH_IMAGE_FILE, report.missingTargets],
  ] as const) {
    const path = join(dir, file);
    if (lines.length) await writeFileAtomic(path, lines.join('\n') + '\n');
    else await rm(path, { force: true });
  }
}
