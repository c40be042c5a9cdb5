import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { removeTempDir, tempDir } from '../support/tmp';
import { dockyard } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { seedImages, type SeededImages } from '../support/seed';

const bin = join(__dirname, '..', '..', 'tools', 'cli', 'bin', 'dockyard.cjs');
const TEMP = /\.tmp-\d+-[0-9a-f]{8}$/;

async function tempsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((entry) => TEMP.test(entry));
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an interrupted copy', () => {
  let source: RunningRegistry;
  let target: RunningRegistry;
  let proxy: FaultProxy;
  let seeded: SeededImages;
  let work: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    seeded = await seedImages(source.url);
    proxy = await startFaultProxy(source.url);
    work = await tempDir('oci-interrupted');
  });
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await removeTempDir(work);
  });

  for (const [signal, destination] of [
    ['SIGINT', 'docker-archive'],
    ['SIGTERM', 'oci'],
  ] as const) {
    it(`stopped by ${signal} mid-blob removes its ${destination} temp files and ends by the signal`, async () => {
      // The big base layer stalls halfway, so the copy is caught with a half-written temp file.
      proxy.setFaults((request) =>
        request.method === 'GET' && request.path.endsWith(seeded.base.digest) ? { kind: 'stall-mid-body' } : undefined,
      );
      const dir = join(work, destination);
      await mkdir(dir, { recursive: true });
      const to =
        destination === 'oci'
          ? `oci:${join(dir, 'layout')}:app/single:v1`
          : `docker-archive:${join(dir, 'single.tar')}:app/single:v1`;
      const child = spawn(process.execPath, [bin, 'copy', `docker://${proxy.host}/app/single:v1`, to], {
        stdio: 'ignore',
      });
      const temps = await waitFor(
        async () => ((await tempsUnder(dir)).length ? tempsUnder(dir) : undefined),
        'a temp file',
      );
      expect(temps.length).toBeGreaterThan(0);
      child.kill(signal);
      const [code, endedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      expect({ code, endedBy }).toEqual({ code: null, endedBy: signal });
      expect(await tempsUnder(dir)).toEqual([]);
    });
  }

  it('sweeps temp files a killed process left in a folder it writes to on the next run', async () => {
    proxy.setFaults(() => undefined);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const report = join(work, 'report');
    await mkdir(report, { recursive: true });
    const stale = `sync-report.json.tmp-${dead}-0badc0de`;
    // A temp of a process that still runs (this one) is not stale.
    const running = `sync-report.json.tmp-${process.pid}-12345678`;
    await writeFile(join(report, stale), 'half a report');
    await writeFile(join(report, running), 'being written');
    await writeFile(join(work, 'single.list'), 'app/single:v1\n');
    const result = await dockyard([
      'sync',
      join(work, 'single.list'),
      '--from',
      proxy.host,
      '--to',
      target.host,
      '--report',
      report,
    ]);
    expect(result.exitCode).toBe(0);
    expect((await readdir(report)).sort()).toEqual([running, 'sync-report.json'].sort());
  });
});
