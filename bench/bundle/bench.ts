import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { deterministicGzip } from '@dockyard/oci';
import { startRegistry } from '../../test/support/registry';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { buildImage, pushImage, randomLayer, type Layer } from '../../test/support/test-images';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');
const MB = 1024 * 1024;

interface Measured {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

/** GNU time around one process: wall seconds and peak resident memory. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', '%e %M', command, ...args],
      { env: { ...process.env, ...env }, cwd, maxBuffer: 64 * MB },
      (err, stdout, stderr) => {
        const match = /^([\d.]+) (\d+)$/.exec(stderr.trim().split('\n').pop() ?? '');
        if (err || !match)
          return reject(
            new Error(`${command} ${args.join(' ')} failed: ${err?.message ?? ''}\n${stderr.slice(-2000)}`),
          );
        resolve({ seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024, stdout });
      },
    );
  });
}

/** `images` images, each with a layer of its own (`ownLayer` bytes) on one of `bases` shared base layers (`baseLayer` bytes). */
interface ImageSet {
  images: number;
  bases: number;
  baseLayer: number;
  ownLayer: number;
}

const SETS: Record<string, ImageSet> = {
  /** The issue's set: 40 images of 3 MB layers (about 130 MB). */
  small: { images: 40, bases: 4, baseLayer: 3 * MB, ownLayer: 3 * MB },
  /** About 1 GB of unique blobs: the memory goal's set. */
  large: { images: 22, bases: 3, baseLayer: 100 * MB, ownLayer: 30 * MB },
};

/** Pushes the set (stored-deflate gzip of random bytes); returns its list lines. */
async function pushImageSet(url: string, set: ImageSet): Promise<string[]> {
  const bases: Layer[] = Array.from({ length: set.bases }, (_, i) => randomLayer(set.baseLayer, `base-${i}.bin`, 0));
  const lines: string[] = [];
  for (let i = 0; i < set.images; i++) {
    const repo = `bench/img-${String(i).padStart(2, '0')}`;
    await pushImage(
      { base: url },
      repo,
      'v1',
      buildImage({ layers: [bases[i % set.bases]!, randomLayer(set.ownLayer, `own-${i}.bin`, 0)] }),
    );
    lines.push(`${repo}:v1`);
  }
  return lines;
}

async function gzipLevels(layerFile: string): Promise<string> {
  const data = await readFile(layerFile);
  const rows: string[] = [];
  for (const level of [1, 6]) {
    const started = performance.now();
    const out = gzipSync(data, { level });
    rows.push(
      `| zlib level ${level} | ${((out.length / data.length - 1) * 100).toFixed(3)}% | ${(data.length / MB / ((performance.now() - started) / 1000)).toFixed(0)} |`,
    );
  }
  const started = performance.now();
  let size = 0;
  await pipeline(
    createReadStream(layerFile),
    deterministicGzip(),
    new Writable({ write: (c: Buffer, _e, cb) => ((size += c.length), cb()) }),
  );
  rows.push(
    `| deterministicGzip (stores incompressible 1 MiB members, 4 in parallel) | ${((size / data.length - 1) * 100).toFixed(3)}% | ${(data.length / MB / ((performance.now() - started) / 1000)).toFixed(0)} |`,
  );
  return rows.join('\n');
}

export async function main(args: string[]): Promise<number> {
  const name = args[0] ?? 'small';
  const set = SETS[name];
  if (!set) throw new Error(`no image set "${name}"; choose ${Object.keys(SETS).join(' or ')}`);
  const work = await tempDir('bench-bundle');
  const source = await startRegistry();
  try {
    console.error(`pushing the ${name} image set...`);
    const lines = await pushImageSet(source.url, set);
    const ws = join(work, 'ws');
    const project = join(ws, 'releases', 'bench');
    await mkdir(project, { recursive: true });
    await writeFile(join(ws, 'nx.json'), '{}\n');
    const writeProject = (images: string[], file: string) =>
      writeFile(
        join(project, 'project.yaml'),
        stringify({
          kind: 'Release',
          name: 'bench',
          version: 'v1',
          images: { extra: images },
          sync: { from: { registry: source.host }, to: [{ registry: source.host }] },
          bundle: { file, images: { format: 'registry-dir', file: 'registry.tar' } },
        }),
      );
    await writeProject(lines, 'bench.tar');
    const env = { DOCKYARD_STORE: join(work, 'store'), SOURCE_DATE_EPOCH: '1700000000' };
    // The lock names every image by digest before a bundle reads it (not timed: the seed's way has no such step).
    const lock = () => measure('node', [dockyardBin, 'resolve', project, '--update'], env);
    await lock();

    // 1. First bundle vs the seed's way: skopeo sync into a fresh registry, then tar -cf of its storage.
    const first = await measure('node', [dockyardBin, 'bundle', project], env);
    const inventory = JSON.parse(await readFile(join(ws, 'dist', 'bench', 'bundle', 'inventory.json'), 'utf8'));
    const bundleSize = (await stat(join(ws, 'dist', 'bench', 'bundle', 'bench.tar'))).size;
    const fresh = await startRegistry();
    const yaml = join(work, 'skopeo.yaml');
    await writeFile(
      yaml,
      `${source.host}:\n  tls-verify: false\n  images:\n${lines.map((l) => `    ${l.split(':')[0]}: [v1]`).join('\n')}\n`,
    );
    const skopeo = await measure('skopeo', [
      'sync',
      '--all',
      '--src',
      'yaml',
      '--dest',
      'docker',
      '--dest-tls-verify=false',
      yaml,
      fresh.host,
    ]);
    const seedTar = await measure('tar', ['-cf', join(work, 'seed.tar'), '-C', fresh.storageDir, 'docker']);
    await fresh.stop();
    await rm(join(work, 'seed.tar'));

    // 2. One image added, warm store: re-bundle vs tar -cf over the same unique blobs on disk.
    await pushImage(
      { base: source.url },
      'bench/added',
      'v2',
      buildImage({ layers: [randomLayer(set.ownLayer, 'added.bin', 0)] }),
    );
    const more = [...lines, 'bench/added:v2'];
    await writeProject(more, 'bench.tar');
    await lock();
    const again = await measure('node', [dockyardBin, 'bundle', project], env);
    const againSize = (await stat(join(ws, 'dist', 'bench', 'bundle', 'bench.tar'))).size;
    const tarSame = await measure('tar', ['-cf', join(work, 'blobs.tar'), '-C', join(work, 'store'), 'blobs']);
    const blobsTarSize = (await stat(join(work, 'blobs.tar'))).size;
    await rm(join(work, 'blobs.tar'));
    const downloaded = /downloaded (\d+) blobs? \((\d+) bytes\)/.exec(again.stdout);

    // 3. The same re-bundle written as .tar.gz (deterministic gzip on both cores).
    await writeProject(more, 'bench.tar.gz');
    const gz = await measure('node', [dockyardBin, 'bundle', project], env);
    const gzSize = (await stat(join(ws, 'dist', 'bench', 'bundle', 'bench.tar.gz'))).size;

    const unique = inventory.totals.uniqueBlobBytes as number;
    const throughput = (bytes: number, s: number) => bytes / MB / s;
    console.log(
      `image set: ${lines.length} images, ${inventory.totals.uniqueBlobs} unique blobs, ${(unique / MB).toFixed(0)} MB`,
    );
    console.log('');
    console.log('| scenario | peer | peer s | dockyard s | ratio | dockyard peak RSS MB |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    const seed = skopeo.seconds + seedTar.seconds;
    console.log(
      `| first bundle, registry-dir payload | skopeo sync ${skopeo.seconds.toFixed(2)} s + tar -cf ${seedTar.seconds.toFixed(2)} s | ${seed.toFixed(2)} | ${first.seconds.toFixed(2)} | ${(seed / first.seconds).toFixed(2)}x | ${first.peakRssMb.toFixed(0)} |`,
    );
    const ratio = throughput(againSize, again.seconds) / throughput(blobsTarSize, tarSame.seconds);
    console.log(
      `| re-bundle, one image added, warm store (.tar) | tar -cf of the store's blobs (${(blobsTarSize / MB).toFixed(0)} MB, ${throughput(blobsTarSize, tarSame.seconds).toFixed(0)} MB/s) | ${tarSame.seconds.toFixed(2)} | ${again.seconds.toFixed(2)} (${throughput(againSize, again.seconds).toFixed(0)} MB/s) | ${ratio.toFixed(2)}x throughput | ${again.peakRssMb.toFixed(0)} |`,
    );
    console.log(
      `| same re-bundle as .tar.gz | | | ${gz.seconds.toFixed(2)} (${throughput(gzSize, gz.seconds).toFixed(0)} MB/s) | | ${gz.peakRssMb.toFixed(0)} |`,
    );
    console.log('');
    console.log(
      `re-bundle downloaded ${downloaded?.[1]} blob(s), ${downloaded?.[2]} bytes (the added image's layer and config)`,
    );
    console.log(
      `bundle size ${bundleSize} bytes vs unique blob bytes ${unique}: +${((bundleSize / unique - 1) * 100).toFixed(3)}%; .tar.gz ${gzSize} bytes (+${((gzSize / againSize - 1) * 100).toFixed(3)}% over the .tar)`,
    );
    console.log('');
    console.log('| gzip of an already-compressed 100 MB layer | size change | MB/s |');
    console.log('| --- | ---: | ---: |');
    const storeDir = join(work, 'store', 'blobs', 'sha256');
    const biggest = inventory.images[0].blobs
      .sort((a: { size: number }, b: { size: number }) => b.size - a.size)[0]
      .digest.slice(7);
    console.log(await gzipLevels(join(storeDir, biggest)));
    return 0;
  } finally {
    await source.stop();
    await removeTempDir(work);
  }
}
