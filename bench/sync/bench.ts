import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  copyImage,
  CopyScheduler,
  locationContext,
  parseLocation,
  openSource,
  openTarget,
  planSync,
  readImageLists,
  RegistryPool,
  runSync,
} from '@dockyard/oci';
import { startRegistry, type RunningRegistry } from '../../test/support/registry';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { pushImageSet, writeSyncInputs } from './image-set';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 24);
/** Extra no-op re-syncs per round, interleaved: the no-op is short, so its ratio needs more samples than three. */
const NOOP_REPEATS = Number(process.env.BENCH_NOOP_REPEATS ?? 1);

interface Measured {
  seconds: number;
  peakRssMb: number;
}

/** Runs a command under GNU time: wall seconds and peak resident memory of the process. */
function measure(command: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', '%e %M', command, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        const match = /^([\d.]+) (\d+)$/.exec(stderr.trim().split('\n').pop() ?? '');
        if (err || !match)
          return reject(
            new Error(`${command} ${args.join(' ')} failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`),
          );
        resolve({ seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024 });
      },
    );
  });
}

/** The engine alone, in this process: what a long-lived caller (Nx daemon, a test) pays. */
async function inProcess(job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await job();
  return (performance.now() - started) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Scenario {
  name: string;
  cli: Measured[];
  engine: number[];
  skopeo: Measured[];
}

export async function main(): Promise<number> {
  const work = await tempDir('bench-sync');
  const registries: RunningRegistry[] = [];
  const start = async () => {
    const registry = await startRegistry();
    registries.push(registry);
    return registry;
  };
  try {
    const source = await start();
    console.error('pushing the synthetic image set…');
    const set = await pushImageSet(source.url, IMAGES);
    const { list, yaml } = await writeSyncInputs(work, source.host, set);
    console.error(
      `${set.lines.length} images (${set.multiArch} multi-arch), ${(set.uniqueBytes / 1024 / 1024).toFixed(0)} MB of unique blobs, ${ROUNDS} rounds`,
    );

    const cliSync = (to: string) =>
      measure('node', [dockyardBin, 'sync', list, '--from', source.host, '--to', to, '--report', join(work, 'report')]);
    const engineSync = async (to: string) => {
      const jobs = planSync(await readImageLists([list]), source.host, [to], []);
      return inProcess(async () => {
        const report = await runSync(jobs, { pool: new RegistryPool() });
        if (report.missingSources.length || report.missingTargets.length)
          throw new Error(`engine sync to ${to} missed images`);
      });
    };
    const skopeoSync = (to: string) =>
      measure('skopeo', ['sync', '--all', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', yaml, to]);
    const image = `${source.host}/${set.largestSingle}`;
    const archive = (name: string) => join(work, `${name}.tar`);
    const engineArchive = () =>
      inProcess(async () => {
        const from = parseLocation(`docker://${image}`);
        const context = locationContext(new RegistryPool());
        await copyImage(
          new CopyScheduler(),
          openSource(from, context),
          openTarget(parseLocation(`docker-archive:${archive('engine')}:${set.largestSingle}`), context, from),
        );
      });

    const scenarios: Scenario[] = [
      'first copy to an empty registry',
      'no-op re-sync',
      'copy to new repositories of the same registry (mounts)',
      `registry → docker-archive (${set.largestSingle}, 35 MB)`,
    ].map((name) => ({ name, cli: [], engine: [], skopeo: [] }));
    for (let round = 1; round <= ROUNDS; round++) {
      const [forCli, forEngine, forSkopeo] = await Promise.all([start(), start(), start()]);
      scenarios[0]!.cli.push(await cliSync(forCli.host));
      scenarios[0]!.skopeo.push(await skopeoSync(forSkopeo.host));
      scenarios[0]!.engine.push(await engineSync(forEngine.host));
      for (let repeat = 0; repeat < NOOP_REPEATS; repeat++) {
        scenarios[1]!.cli.push(await cliSync(forCli.host));
        scenarios[1]!.skopeo.push(await skopeoSync(forSkopeo.host));
        scenarios[1]!.engine.push(await engineSync(forEngine.host));
      }
      scenarios[2]!.cli.push(await cliSync(`${source.host}/r${round}-cli`));
      scenarios[2]!.skopeo.push(await skopeoSync(`${source.host}/r${round}-skopeo`));
      scenarios[2]!.engine.push(await engineSync(`${source.host}/r${round}-engine`));
      for (const name of ['cli', 'skopeo', 'engine']) await rm(archive(name), { force: true });
      scenarios[3]!.cli.push(
        await measure('node', [
          dockyardBin,
          'copy',
          `docker://${image}`,
          `docker-archive:${archive('cli')}:${set.largestSingle}`,
        ]),
      );
      scenarios[3]!.skopeo.push(
        await measure('skopeo', [
          'copy',
          '--src-tls-verify=false',
          `docker://${image}`,
          `docker-archive:${archive('skopeo')}:${set.largestSingle}`,
        ]),
      );
      scenarios[3]!.engine.push(await engineArchive());
      console.error(`round ${round} done`);
    }

    console.log(
      `${set.lines.length} images (${set.multiArch} multi-arch amd64+arm64), ${(set.uniqueBytes / 1024 / 1024).toFixed(0)} MB of unique blobs; median of ${ROUNDS} rounds (no-op: ${ROUNDS * NOOP_REPEATS} runs)\n`,
    );
    console.log(
      '| scenario | skopeo s | dockyard CLI s | ratio (CLI) | engine in-process s | ratio (engine) | peak RSS dockyard / skopeo MB |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of scenarios) {
      const skopeo = median(s.skopeo.map((m) => m.seconds));
      const cli = median(s.cli.map((m) => m.seconds));
      const engine = median(s.engine);
      const rss = `${Math.max(...s.cli.map((m) => m.peakRssMb)).toFixed(0)} / ${Math.max(...s.skopeo.map((m) => m.peakRssMb)).toFixed(0)}`;
      console.log(
        `| ${s.name} | ${skopeo.toFixed(2)} | ${cli.toFixed(2)} | ${(skopeo / cli).toFixed(1)}x | ${engine.toFixed(2)} | ${(skopeo / engine).toFixed(1)}x | ${rss} |`,
      );
    }
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(
      join(root, 'tmp', 'bench-sync.json'),
      JSON.stringify(
        { set: { images: set.lines.length, multiArch: set.multiArch, uniqueBytes: set.uniqueBytes }, scenarios },
        null,
        2,
      ),
    );
    return 0;
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
    await removeTempDir(work);
  }
}
