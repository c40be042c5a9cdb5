// COPY-only build of a sealos-like context: `dockyard build` against `buildah bud --timestamp 0
// --identity-label=false` (vfs), side by side in one run. Usage: node bench/build/run.cjs [ROUNDS]
import { spawnSync } from 'node:child_process';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildImages } from '@dockyard/builder';
import { ContentStore } from '@dockyard/oci';
import { ensurePackages } from '../../test/support/require-tool';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { writeBenchContext } from './context';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');

function run(command: string, args: string[], env: Record<string, string> = {}): { seconds: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

function buildah(storage: string, args: string[]): { seconds: number; stdout: string } {
  return run('buildah', [
    '--storage-driver',
    'vfs',
    '--root',
    join(storage, 'root'),
    '--runroot',
    join(storage, 'run'),
    ...args,
  ]);
}

/** The same build inside this process: what a long-lived caller (the Nx plugin, a daemon) pays, without Node start-up and module loading. */
async function inProcess(context: string, store: string): Promise<number> {
  const start = process.hrtime.bigint();
  await buildImages({
    dockerfile: join(context, 'Kubefile'),
    contextDir: context,
    platforms: [{ os: 'linux', architecture: 'amd64' }],
    store: new ContentStore(store),
    openImage: async (ref) => {
      throw new Error(`no base images in this bench (${ref})`);
    },
    download: async (url) => {
      throw new Error(`no downloads in this bench (${url})`);
    },
  });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Commits everything in `dir` (a repository from the first call on), dated `step` days after 2024-01-01. */
function commit(dir: string, message: string, step: number): void {
  const date = new Date(Date.UTC(2024, 0, 1 + step)).toISOString();
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  const git = (...args: string[]) =>
    run('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=b@b', ...args], env);
  if (step === 0) git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', message);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `name type mode size` of every member of every layer of the image in an OCI layout, per layer. */
async function layerLists(layout: string, ref: string): Promise<string[][]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry =
    index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref) ?? index.manifests[0]!;
  const blob = (d: string) => join(layout, 'blobs', 'sha256', d.slice(7));
  const manifest = JSON.parse(await readFile(blob(entry.digest), 'utf8')) as {
    layers: { digest: string; mediaType: string }[];
  };
  const lists: string[][] = [];
  for (const layer of manifest.layers) {
    const listed = spawnSync('tar', ['--numeric-owner', '-tvf', blob(layer.digest)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    lists.push(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => {
          const [mode, owner, size, , , ...name] = line.split(/\s+/);
          return `${name.join(' ').replace(/\/$/, '')} ${mode} ${owner} ${mode!.startsWith('d') ? '-' : size}`;
        })
        .sort(),
    );
  }
  return lists;
}

export async function main(argv: string[]): Promise<number> {
  const rounds = Number(argv[0] ?? process.env.BENCH_ROUNDS ?? 3);
  // The peer and the inspector: only this bench needs buildah, so it installs it itself (as root, from apt).
  await ensurePackages(['buildah', 'skopeo']);
  const work = await tempDir('bench-build');
  try {
    const context = join(work, 'ctx');
    await writeBenchContext(context);
    const du = run('du', ['-sm', join(context, 'registry')]).stdout.split('\t')[0];
    console.log(`context: registry/ ${du} MB, 30 charts, 20 manifests; Kubefile: COPY charts, manifests, registry`);
    const times = {
      buildahFirst: [] as number[],
      buildahRebuild: [] as number[],
      dockyardFirst: [] as number[],
      dockyardFirstOci: [] as number[],
      buildahMulti: [] as number[],
      dockyardMulti: [] as number[],
      dockyardRebuild: [] as number[],
      engineFirst: [] as number[],
      engineRebuild: [] as number[],
    };
    // As CI builds: a commit, dated by its history (no SOURCE_DATE_EPOCH), every change committed before the
    // rebuild; registry/ is what init.sh generates, so no commit holds it.
    await writeFile(join(context, '.gitignore'), 'registry/\n');
    commit(context, 'the bench context', 0);
    const env = {};
    for (let round = 0; round < rounds; round++) {
      const storage = join(work, `buildah-${round}`);
      times.buildahFirst.push(
        buildah(storage, [
          'bud',
          '--timestamp',
          '0',
          '--identity-label=false',
          '-q',
          '-f',
          join(context, 'Kubefile'),
          '-t',
          'localhost/bench:1',
          context,
        ]).seconds,
      );
      const store = join(work, `store-${round}`);
      times.dockyardFirst.push(run('node', [dockyardBin, 'build', context], { ...env, DOCKYARD_STORE: store }).seconds);
      const storeOci = join(work, `store-oci-${round}`);
      times.dockyardFirstOci.push(
        run('node', [dockyardBin, 'build', context, '-t', `oci:${join(work, `out-${round}`)}:bench`], {
          ...env,
          DOCKYARD_STORE: storeOci,
        }).seconds,
      );
      // Both platforms of a sealos image, each tool into its own empty store: buildah builds per platform into a
      // manifest list; dockyard builds each layer once (a COPY-only build gives both platforms the same layers).
      const multiStorage = join(work, `buildah-multi-${round}`);
      times.buildahMulti.push(
        buildah(multiStorage, [
          'bud',
          '--timestamp',
          '0',
          '--identity-label=false',
          '-q',
          '--platform',
          'linux/amd64,linux/arm64',
          '--manifest',
          'localhost/bench-multi:1',
          '-f',
          join(context, 'Kubefile'),
          context,
        ]).seconds,
      );
      await rm(multiStorage, { recursive: true, force: true }).catch(() => undefined);
      times.dockyardMulti.push(
        run('node', [dockyardBin, 'build', context, '--platform', 'linux/amd64,linux/arm64'], {
          ...env,
          DOCKYARD_STORE: join(work, `store-multi-${round}`),
        }).seconds,
      );
      await appendFile(join(context, 'charts', 'chart-07', 'values.yaml'), `# round ${round}\n`);
      commit(context, `round ${round}`, 2 * round + 1);
      times.dockyardRebuild.push(
        run('node', [dockyardBin, 'build', context], { ...env, DOCKYARD_STORE: store }).seconds,
      );
      const engineStore = join(work, `store-engine-${round}`);
      times.engineFirst.push(await inProcess(context, engineStore));
      await appendFile(join(context, 'charts', 'chart-07', 'values.yaml'), `# engine round ${round}\n`);
      commit(context, `engine round ${round}`, 2 * round + 2);
      times.engineRebuild.push(await inProcess(context, engineStore));
      times.buildahRebuild.push(
        buildah(storage, [
          'bud',
          '--timestamp',
          '0',
          '--identity-label=false',
          '-q',
          '-f',
          join(context, 'Kubefile'),
          '-t',
          'localhost/bench:1',
          context,
        ]).seconds,
      );
      if (round < rounds - 1) await rm(storage, { recursive: true, force: true }).catch(() => undefined);
    }
    // Same input twice from empty stores: the same digest.
    const again = [0, 1].map(
      (i) =>
        /built (sha256:\w+)/.exec(
          run('node', [dockyardBin, 'build', context], { ...env, DOCKYARD_STORE: join(work, `twice-${i}`) }).stdout,
        )![1]!,
    );

    // Layer content against buildah's (last round's image, after the last change).
    const lastStorage = join(work, `buildah-${rounds - 1}`);
    const buildahOut = join(work, 'buildah-oci');
    buildah(lastStorage, ['push', '--disable-compression', 'localhost/bench:1', `oci:${buildahOut}:bench`]);
    const ourOut = join(work, 'ours-oci');
    run('node', [dockyardBin, 'build', context, '-t', `oci:${ourOut}:bench`], {
      ...env,
      DOCKYARD_STORE: join(work, 'store-0'),
    });
    // buildah bud (without --layers) commits all instructions as one layer; dockyard makes one per COPY: compare the union.
    const union = (lists: string[][]) => [...new Set(lists.flat())].sort();
    const [ours, theirs] = [union(await layerLists(ourOut, 'bench')), union(await layerLists(buildahOut, 'bench'))];
    const sameLists = ours.join('\n') === theirs.join('\n');
    const buildahInspect = JSON.parse(
      buildah(lastStorage, ['inspect', '--type', 'image', 'localhost/bench:1']).stdout,
    ) as { OCIv1: { rootfs: { diff_ids: string[] } } };
    const ourConfig = JSON.parse(run('skopeo', ['inspect', '--config', `oci:${ourOut}:bench`]).stdout) as {
      rootfs: { diff_ids: string[] };
    };

    // gzip level: the same layer tars at 1, 6 and 9.
    const ourManifest = JSON.parse(run('skopeo', ['inspect', '--raw', `oci:${ourOut}:bench`]).stdout) as {
      layers: { digest: string }[];
    };
    const tars = await Promise.all(
      ourManifest.layers.map(async (l) =>
        gunzipSync(await readFile(join(ourOut, 'blobs', 'sha256', l.digest.slice(7)))),
      ),
    );
    const levels = tars.map((tar) =>
      [1, 6, 9].map((level) => {
        const start = process.hrtime.bigint();
        const size = gzipSync(tar, { level }).length;
        return { level, seconds: Number(process.hrtime.bigint() - start) / 1e9, size };
      }),
    );

    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<
      keyof typeof times,
      number
    >;
    console.log(`\nmedians of ${rounds} interleaved rounds (seconds):\n`);
    console.log('| step | buildah bud | dockyard build | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(
      `| first build, empty store (image in the tool's own store) | ${m.buildahFirst.toFixed(2)} | ${m.dockyardFirst.toFixed(2)} | ${(m.buildahFirst / m.dockyardFirst).toFixed(1)}x |`,
    );
    console.log(
      `| first build, dockyard also writing an oci: layout | ${m.buildahFirst.toFixed(2)} | ${m.dockyardFirstOci.toFixed(2)} | ${(m.buildahFirst / m.dockyardFirstOci).toFixed(1)}x |`,
    );
    console.log(
      `| first build, amd64+arm64, empty store | ${m.buildahMulti.toFixed(2)} | ${m.dockyardMulti.toFixed(2)} | ${(m.buildahMulti / m.dockyardMulti).toFixed(1)}x |`,
    );
    console.log(
      `| rebuild after one chart file changed and committed | ${m.buildahRebuild.toFixed(2)} | ${m.dockyardRebuild.toFixed(2)} | ${(m.buildahRebuild / m.dockyardRebuild).toFixed(1)}x |`,
    );
    console.log(
      `| engine in-process: first build | ${m.buildahFirst.toFixed(2)} | ${m.engineFirst.toFixed(2)} | ${(m.buildahFirst / m.engineFirst).toFixed(1)}x |`,
    );
    console.log(
      `| engine in-process: rebuild after one chart file changed and committed | ${m.buildahRebuild.toFixed(2)} | ${m.engineRebuild.toFixed(2)} | ${(m.buildahRebuild / m.engineRebuild).toFixed(1)}x |`,
    );
    console.log(
      `\ndockyard rebuild vs its first build: ${(m.dockyardFirst / m.dockyardRebuild).toFixed(1)}x faster (CLI), ${(m.engineFirst / m.engineRebuild).toFixed(1)}x (engine in-process)`,
    );
    console.log(`same digest from two empty stores: ${again[0] === again[1] ? 'yes' : 'NO'} (${again[0]})`);
    console.log(`layer file lists (name, mode, uid/gid, size) equal to buildah's: ${sameLists ? 'yes' : 'NO'}`);
    console.log(`diffIDs dockyard: ${ourConfig.rootfs.diff_ids.map((d) => d.slice(7, 19)).join(' ')}`);
    console.log(`diffIDs buildah:  ${buildahInspect.OCIv1.rootfs.diff_ids.map((d) => d.slice(7, 19)).join(' ')}`);
    console.log(`members compared: ${ours.length} (dockyard) / ${theirs.length} (buildah)`);
    if (!sameLists) {
      const a = new Set(ours);
      const b = new Set(theirs);
      console.log(
        `only dockyard: ${ours
          .filter((x) => !b.has(x))
          .slice(0, 8)
          .join('; ')}\nonly buildah: ${theirs
          .filter((x) => !a.has(x))
          .slice(0, 8)
          .join('; ')}`,
      );
    }
    console.log('\nNode zlib gzip of each layer tar (one core), and what dockyard stored:');
    console.log('| layer | tar MB | level 1 s / MB | level 6 s / MB | level 9 s / MB | dockyard layer MB |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    const sizes = JSON.parse(run('skopeo', ['inspect', '--raw', `oci:${ourOut}:bench`]).stdout) as {
      layers: { size: number }[];
    };
    tars.forEach((tar, i) => {
      const cells = levels[i]!.map((l) => `${l.seconds.toFixed(2)} / ${(l.size / 1e6).toFixed(3)}`);
      console.log(
        `| ${['charts', 'manifests', 'registry'][i] ?? i} | ${(tar.length / 1e6).toFixed(3)} | ${cells.join(' | ')} | ${(sizes.layers[i]!.size / 1e6).toFixed(3)} |`,
      );
    });
    return 0;
  } finally {
    await removeTempDir(work);
  }
}
