// Issue 17's scale curve: for each size N, a generated workspace of N projects listing N images (generate.ts
// pushes them to a loopback docker-registry), and the commands a platform team runs on it, each timed with its
// peak RSS.
// Usage: node bench/scale/measure.cjs [--sizes 250,500,1000] [--rows show,affected,validate,resolve,check,images,sync,bundle]
// (--rows: only those rows, in that table order; default all.)
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startRegistry, type RunningRegistry } from '../../test/support/registry';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { main as generate } from './generate';
import { imageName } from './workspace';

const repo = resolve(__dirname, '..', '..');
const dockyardBin = join(repo, 'tools', 'cli', 'bin', 'dockyard.cjs');

interface Measured {
  seconds: number;
  peakMb: number;
  stdout: string;
}

/** One command under GNU time: wall seconds and the largest process's peak RSS (the tree's biggest member). */
function timed(cwd: string, command: string[], env: Record<string, string> = {}): Measured {
  const result = spawnSync('/usr/bin/time', ['-f', '@@time %e %M', ...command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
    maxBuffer: 256 << 20,
  });
  const line = /@@time ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !line)
    throw new Error(`${command.join(' ')} failed (${result.status}) in ${cwd}:\n${result.stderr.slice(-3000)}`);
  return { seconds: Number(line[1]), peakMb: Number(line[2]) / 1024, stdout: result.stdout };
}

const git = (cwd: string, ...args: string[]) =>
  timed(cwd, ['git', '-c', 'user.name=bench', '-c', 'user.email=bench@dockyard.invalid', ...args]);
const nx = (cwd: string, ...args: string[]) => timed(cwd, ['npx', 'nx', ...args]);
const dockyard = (cwd: string, ...args: string[]) => timed(cwd, ['node', dockyardBin, ...args]);

async function generated(dir: string, projects: number, images: number, registry: RunningRegistry): Promise<string> {
  const code = await generate([
    dir,
    '--projects',
    String(projects),
    '--images',
    String(images),
    '--registry',
    registry.url,
  ]);
  if (code !== 0) throw new Error(`bench/scale: generating ${dir} failed`);
  return dir;
}

const ROWS = ['show', 'affected', 'validate', 'resolve', 'check', 'images', 'sync', 'bundle'] as const;
type Row = (typeof ROWS)[number];

/** The rows of one size: the workspace measures on N projects, the image measures on N images. */
async function measureSize(
  n: number,
  work: string,
  registry: RunningRegistry,
  want: (row: Row) => boolean,
): Promise<Map<string, Measured>> {
  const rows = new Map<string, Measured>();
  const ws = await generated(join(work, `ws-${n}`), n, n, registry);
  if (want('show')) rows.set('nx show projects', nx(ws, 'show', 'projects'));
  // One changed plugin: it and the Release shipping it are affected, nothing else.
  const plugin = join(ws, 'plugins', 'plugin-0000', 'project.yaml');
  const text = await readFile(plugin, 'utf8').catch(() => undefined);
  if (text !== undefined && want('affected')) {
    await writeFile(plugin, text.replace(/description: (.*)$/m, 'description: $1, changed'));
    git(ws, 'commit', '-qam', 'one plugin changed');
    const affected = nx(ws, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json');
    rows.set(`nx show projects --affected (one plugin changed: ${JSON.parse(affected.stdout).join(', ')})`, affected);
  }
  if (want('validate')) rows.set('nx run-many -t validate', nx(ws, 'run-many', '-t', 'validate', '--skip-nx-cache'));
  // check and images read the locks this writes, so it runs whenever they do.
  if (want('resolve') || want('check') || want('images')) {
    const pinned = nx(ws, 'run-many', '-t', 'resolve', '--skip-nx-cache');
    if (want('resolve')) rows.set('nx run-many -t resolve (pins every image)', pinned);
  }
  if (want('check'))
    rows.set('nx run-many -t resolve -c check', nx(ws, 'run-many', '-t', 'resolve', '-c', 'check', '--skip-nx-cache'));
  if (want('images')) rows.set('nx run-many -t images', nx(ws, 'run-many', '-t', 'images', '--skip-nx-cache'));
  if (want('sync')) await measureSync(n, work, registry, rows);
  if (want('bundle')) await measureBundle(n, work, registry, rows);
  return rows;
}

async function measureSync(n: number, work: string, registry: RunningRegistry, rows: Map<string, Measured>) {
  const list = join(work, `images-${n}.list`);
  await writeFile(list, Array.from({ length: n }, (_, i) => `${imageName(i)}\n`).join(''));
  const to = `${registry.host}/mirror-${n}`;
  const sync = ['sync', list, '--from', registry.host, '--to', to];
  rows.set(`dockyard sync ${n} images (first copy, same registry)`, dockyard(work, ...sync));
  rows.set(`dockyard sync ${n} images, no-op`, dockyard(work, ...sync));
}

async function measureBundle(n: number, work: string, registry: RunningRegistry, rows: Map<string, Measured>) {
  // One Release holding all N images (a tenth of 10 projects is one Release).
  const one = await generated(join(work, `one-release-${n}`), 10, n, registry);
  // Its images only: the plugins and apps it ships would need their own images, which no registry here holds.
  const release = join(one, 'releases', 'release-000', 'project.yaml');
  await writeFile(release, (await readFile(release, 'utf8')).replace(/^ships:\n(?: {2}.*\n)+/m, ''));
  dockyard(one, 'resolve', 'releases/release-000');
  rows.set(`dockyard bundle of one Release of ${n} images`, dockyard(one, 'bundle', 'releases/release-000'));
}

export async function main(args: string[]): Promise<number> {
  const at = args.indexOf('--sizes');
  const sizes = (at >= 0 ? args[at + 1]! : '250,500,1000').split(',').map(Number);
  const rowsAt = args.indexOf('--rows');
  const wanted = rowsAt >= 0 ? (args[rowsAt + 1] ?? '').split(',') : [...ROWS];
  const unknown = wanted.filter((row) => !(ROWS as readonly string[]).includes(row));
  if (unknown.length) {
    console.error(`bench/scale: unknown row ${unknown.join(', ')} (rows: ${ROWS.join(', ')})`);
    return 2;
  }
  const work = await tempDir('bench-scale');
  const registry = await startRegistry();
  try {
    const results = new Map<number, Map<string, Measured>>();
    for (const n of sizes) {
      results.set(n, await measureSize(n, work, registry, (row) => wanted.includes(row)));
      console.error(
        `size ${n} done, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      for (const [label, m] of results.get(n)!)
        console.error(`  ${label}: ${m.seconds.toFixed(2)} s, peak ${m.peakMb.toFixed(0)} MB`);
    }
    const labels = [...results.get(sizes[0]!)!.keys()];
    console.log(`| measure | ${sizes.map((n) => `N=${n} s / peak MB`).join(' | ')} |`);
    console.log(`| --- | ${sizes.map(() => '---:').join(' | ')} |`);
    labels.forEach((label, row) => {
      const cells = sizes.map((n) => {
        const m = [...results.get(n)!.values()][row]!;
        return `${m.seconds.toFixed(2)} / ${m.peakMb.toFixed(0)}`;
      });
      console.log(`| ${label.replace(/\b250\b|\b500\b|\b1000\b/g, 'N')} | ${cells.join(' | ')} |`);
    });
    console.log(
      `\nload average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return 0;
  } finally {
    await registry.stop();
    await removeTempDir(work);
  }
}
