import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MISS_IMAGE_FILE, MISS_PUSH_IMAGE_FILE, REPORT_FILE, writeSyncReport, type SyncReport } from './sync-report';

const report = (missingSources: string[], missingTargets: string[]): SyncReport => ({
  startedAt: '2024-01-01T00:00:00.000Z',
  durationMs: 5,
  images: [],
  missingSources,
  missingTargets,
  stats: { bytes: 0, blobsCopied: 0, blobsSkipped: 0, blobsMounted: 0 },
});

describe('writeSyncReport', () => {
  it('writes the report, and a miss file only while something is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sync-report-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeSyncReport(dir, report(['a:v1'], ['h/b:v2', 'h/c:v3']));
    expect(await readFile(join(dir, MISS_IMAGE_FILE), 'utf8')).toBe('a:v1\n');
    expect(await readFile(join(dir, MISS_PUSH_IMAGE_FILE), 'utf8')).toBe('h/b:v2\nh/c:v3\n');
    await writeSyncReport(dir, report([], []));
    expect(JSON.parse(await readFile(join(dir, REPORT_FILE), 'utf8')).missingSources).toEqual([]);
    for (const file of [MISS_IMAGE_FILE, MISS_PUSH_IMAGE_FILE])
      expect(
        await stat(join(dir, file)).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
  });
});
