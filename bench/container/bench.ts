import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_BASE_DOCKERFILE, loadScratchImage, replaceScratch } from '@dockyard/container';
import { publishProject } from '@dockyard/kinds/container-image';
import { openProject } from '@dockyard/project-spec';
import { startDockerEngine, type RunningDocker } from '../../test/support/docker';
import { enableArm64Emulation } from '../../test/support/foreign-arch';
import { writeRepositoryTree } from '../../test/support/openeuler-repository';
import { startRegistry, type RunningRegistry } from '../../test/support/registry';
import { serveFolder, type StaticServer } from '../../test/support/static-http-server';
import { removeTempDir, tempDir } from '../../test/support/tmp';
import { sh } from '../shell';

const root = join(__dirname, '..', '..');
const dockyardBin = join(root, 'tools', 'cli', 'bin', 'dockyard.cjs');
const VERSION = '22.03-LTS-SP1';
const TAGS = ['22.03-lts-sp1', '22.03', 'latest'];
const ARCHES = ['amd64', 'arm64'] as const;
const REPO_ARCH = { amd64: 'x86_64', arm64: 'aarch64' } as const;

async function timed(what: string, job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await job();
  const seconds = (performance.now() - started) / 1000;
  console.error(`${what}: ${seconds.toFixed(2)} s`);
  return seconds;
}

interface Setup {
  engine: RunningDocker;
  server: StaticServer;
  work: string;
  env: NodeJS.ProcessEnv;
}

/** dockyard: build (prepare included, empty store) then publish to the three registries. */
async function dockyardWay(
  setup: Setup,
  registries: RunningRegistry[],
  label: string,
): Promise<{ endToEnd: number; republish: number; republishEngine: number }> {
  const ws = join(setup.work, `dockyard-${label}`);
  const dir = join(ws, 'releases/containers/openeuler');
  await mkdir(dir, { recursive: true });
  await writeFile(join(ws, 'nx.json'), '{}\n');
  const project = [
    'kind: ContainerImage',
    'name: openeuler',
    `versions: ["${VERSION}"]`,
    'arches: [amd64, arm64]',
    `base: { repo: "${setup.server.url}", index: release }`,
    `tags: { "${VERSION}": ["22.03", "latest"] }`,
    'registries:',
    ...registries.map((r) => `  - { registry: "${r.host}", repository: "openeuler/openeuler" }`),
    '',
  ].join('\n');
  await writeFile(join(dir, 'project.yaml'), project);
  const env = { ...setup.env, DOCKYARD_STORE: join(setup.work, `store-${label}`) };
  const endToEnd = await timed(`dockyard build + publish (${label})`, async () => {
    await timed('  dockyard build --project', () => sh('node', [dockyardBin, 'build', '--project', dir], env, ws));
    await timed('  dockyard publish', () => sh('node', [dockyardBin, 'publish', dir], env, ws));
  });
  const republish = await timed(`dockyard re-publish unchanged (${label})`, () =>
    sh('node', [dockyardBin, 'publish', dir], env, ws),
  );
  const opened = await openProject(join(dir, 'project.yaml'), ws, ['ContainerImage']);
  // The engine alone, in this process: what a long-lived caller (the Nx daemon, a service) pays without Node start-up.
  const republishEngine = await timed(`dockyard engine re-publish unchanged in-process (${label})`, async () => {
    const result = await publishProject(opened, { env });
    if (result.outcomes.some((o) => o.status !== 'unchanged'))
      throw new Error('the in-process re-publish wrote something');
  });
  return { endToEnd, republish, republishEngine };
}

/**
 * The EulerPublisher way without buildx (Debian 12 has none): download and check each arch's archive, take its
 * rootfs layer out, `docker build` per arch with the legacy builder, then for every registry and tag `docker tag` +
 * `docker push` each arch and `docker manifest create/push` the multi-arch tag. The legacy builder needs a
 * platform-true scratch for arm64 (see libs/container/src/scratch-image.ts); it is loaded before the clock starts.
 */
async function dockerWay(
  setup: Setup,
  registries: RunningRegistry[],
  label: string,
): Promise<{ endToEnd: number; republish: number; republishEngine?: number; slowestArchBuild: number }> {
  const ctx = join(setup.work, `docker-${label}`);
  const archBuilds: number[] = [];
  await mkdir(ctx, { recursive: true });
  for (const arch of ARCHES) await loadScratchImage(setup.engine.docker, arch);
  const env = { ...setup.env, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: join(setup.work, `docker-config-${label}`) };
  const push = async () => {
    for (const registry of registries) {
      for (const tag of TAGS) {
        const name = `${registry.host}/openeuler/openeuler`;
        for (const arch of ARCHES) {
          await sh('docker', ['tag', `openeuler-bench:${arch}`, `${name}:${tag}-${arch}`], env);
          await sh('docker', ['push', '--quiet', `${name}:${tag}-${arch}`], env);
        }
        await sh('docker', ['manifest', 'rm', `${name}:${tag}`], env).catch(() => undefined);
        await sh(
          'docker',
          ['manifest', 'create', '--insecure', `${name}:${tag}`, ...ARCHES.map((a) => `${name}:${tag}-${a}`)],
          env,
        );
        await sh('docker', ['manifest', 'push', '--insecure', `${name}:${tag}`], env);
      }
    }
  };
  const endToEnd = await timed(`docker build + tag/push (${label})`, async () => {
    await timed('  download + docker build per arch', async () => {
      for (const arch of ARCHES) {
        const file = `openEuler-docker.${REPO_ARCH[arch]}.tar.xz`;
        const url = `${setup.server.url}openEuler-${VERSION}/docker_img/${REPO_ARCH[arch]}/${file}`;
        await sh('curl', ['-fsSO', url], env, ctx);
        await sh('curl', ['-fsSO', `${url}.sha256sum`], env, ctx);
        await sh('sha256sum', ['-c', `${file}.sha256sum`], env, ctx);
        await sh('tar', ['-xJf', file, 'layer/layer.tar'], env, ctx);
        await sh('mv', ['layer/layer.tar', `openEuler-docker-rootfs.${arch}.tar.xz`], env, ctx);
        await writeFile(
          join(ctx, `Dockerfile.${arch}`),
          replaceScratch(DEFAULT_BASE_DOCKERFILE, `dockyard/scratch:linux-${arch}`),
        );
        const archBuild = await timed(`    docker build linux/${arch}`, () =>
          sh(
            'docker',
            [
              'build',
              '--quiet',
              '--platform',
              `linux/${arch}`,
              '--build-arg',
              `TARGETARCH=${arch}`,
              '-f',
              `Dockerfile.${arch}`,
              '-t',
              `openeuler-bench:${arch}`,
              '.',
            ],
            env,
            ctx,
          ),
        );
        archBuilds.push(archBuild);
      }
    });
    await timed('  docker tag/push + manifest create/push', push);
  });
  const republish = await timed(`docker re-push unchanged (${label})`, push);
  return { endToEnd, republish, slowestArchBuild: Math.max(...archBuilds) };
}

export async function main(args: string[]): Promise<number> {
  const rounds = Number(args[0] ?? process.env.BENCH_ROUNDS ?? 1);
  await enableArm64Emulation();
  const work = await tempDir('bench-container');
  const repo = join(work, 'repo');
  await writeRepositoryTree(repo, { version: VERSION, arches: [...ARCHES] });
  const engine = await startDockerEngine();
  const server = await serveFolder(repo);
  const setup: Setup = {
    engine,
    server,
    work,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: engine.host },
  };
  const rows: {
    tool: string;
    endToEnd: number;
    republish: number;
    republishEngine?: number;
    slowestArchBuild?: number;
  }[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [tool, way] of [
        ['dockyard', dockyardWay],
        ['docker', dockerWay],
      ] as const) {
        const registries = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
        // Every build starts without an engine cache: the other tool's (or the last round's) layers would be reused.
        await engine.docker.pruneImages({ filters: { dangling: { false: true } } });
        try {
          rows.push({ tool, ...(await way(setup, registries, `${tool}-${round}`)) });
        } finally {
          await Promise.all(registries.map((r) => r.stop()));
        }
      }
    }
  } finally {
    await server.stop();
    await engine.stop();
    await removeTempDir(work);
  }
  const median = (tool: string, key: 'endToEnd' | 'republish' | 'republishEngine' | 'slowestArchBuild') => {
    const values = rows
      .filter((r) => r.tool === tool)
      .map((r) => r[key]!)
      .sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  console.log('| scenario | docker (EulerPublisher way) s | dockyard s | ratio |\n| --- | ---: | ---: | ---: |');
  for (const [label, key] of [
    ['build + publish, 3 tags × 3 registries', 'endToEnd'],
    ['re-publish unchanged', 'republish'],
  ] as const) {
    const docker = median('docker', key);
    const dockyard = median('dockyard', key);
    console.log(`| ${label} | ${docker.toFixed(2)} | ${dockyard.toFixed(2)} | ${(docker / dockyard).toFixed(1)}x |`);
  }
  const inProcess = median('dockyard', 'republishEngine');
  console.log(
    `| re-publish unchanged, engine in-process | ${median('docker', 'republish').toFixed(2)} | ${inProcess.toFixed(3)} | ${(median('docker', 'republish') / inProcess).toFixed(0)}x |`,
  );
  // The floor on this machine: building the arches side by side, a build can end no sooner than the slowest arch's
  // RUN in the engine (docker's own time for it here), even if exporting and publishing cost nothing.
  const slowest = median('docker', 'slowestArchBuild');
  console.log(
    `\nfloor: the slowest arch's engine build alone (docker build, median) ${slowest.toFixed(2)} s; end to end cannot beat ${(median('docker', 'endToEnd') / slowest).toFixed(1)}x here`,
  );
  return 0;
}
