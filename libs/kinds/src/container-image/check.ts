import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import {
  answeringEngine,
  type BuiltImage,
  junitXml,
  type CheckCase,
  parseOsRelease,
  versionAsTag,
} from '@dockyard/container';
import { writeFileAtomic } from '@dockyard/files';
import {
  ContentStore,
  CopyScheduler,
  locationContext,
  openSource,
  openTarget,
  parseLocation,
  readImage,
  RegistryPool,
  writeImages,
} from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';
import { imagesToShip, readBuilt } from './built';
import type { ContainerProject } from './project';

export interface CheckOptions {
  docker?: Dockerode;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Where the build's blobs are fetched from when a cache restored only its layout's small files. */
  store?: ContentStore;
}

export interface CheckResult {
  cases: CheckCase[];
  failed: number;
  /** dist/<name>/check/junit.xml */
  report: string;
}

const machineOf: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', loong64: 'loongarch64' };

/** Runs `cmd` in a new container of `image` without network; returns its output (a TTY: one stream) and exit code. */
async function runIn(docker: Dockerode, image: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: StatusCode, output: logs.toString('utf8').replace(/\r\n/g, '\n') };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ exitCode: number; output: string }> {
  return new Promise((done) => {
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', (err) => done({ exitCode: 127, output: err.message }));
    child.on('close', (code) => done({ exitCode: code ?? 1, output }));
  });
}

/** Loads one platform image of the built layout into the engine as `ref` (a docker-archive, as `docker load` takes it). */
async function loadPlatform(
  docker: Dockerode,
  layout: string,
  digest: string,
  ref: string,
  work: string,
): Promise<void> {
  const context = locationContext(new RegistryPool());
  const archive = join(work, `${digest.slice(7, 19)}.tar`);
  const model = await readImage(openSource(parseLocation(`oci:${layout}:${digest}`), context));
  await writeImages(new CopyScheduler(), [
    { model, target: openTarget(parseLocation(`docker-archive:${archive}:${ref}`), context) },
  ]);
  const progress = await docker.loadImage(archive, { quiet: true });
  await new Promise<void>((ok, fail) =>
    docker.modem.followProgress(progress, (err: Error | null) => (err ? fail(err) : ok())),
  );
  await rm(archive, { force: true });
}

async function timed(suite: string, name: string, check: () => Promise<string | undefined>): Promise<CheckCase> {
  const start = performance.now();
  let failure: string | undefined;
  try {
    failure = await check();
  } catch (err) {
    failure = (err as Error).message;
  }
  return { suite, name, failure, seconds: (performance.now() - start) / 1000 };
}

/**
 * Checks every built image of the versions the project lists on each of its arches in the Docker engine (foreign arches under qemu): OS linux, the
 * expected arch (also as `uname -m` inside), the timezone, and for base images that /etc/os-release's VERSION is
 * the tag; then the project's test script, with DOCKER_TAG (and DOCKER_IMAGE, the engine-local image) set.
 * Writes dist/<name>/check/junit.xml.
 */
export async function checkProject(project: ContainerProject, options: CheckOptions = {}): Promise<CheckResult> {
  const { spec } = project;
  const build = await readBuilt(project, options.store ?? ContentStore.default());
  const images = imagesToShip(project, build);
  const docker = await answeringEngine(options.docker);
  const log = options.log ?? (() => undefined);
  const dir = project.outputs.check;
  const work = join(dir, 'load');
  await mkdir(work, { recursive: true });
  const timezone = spec.check?.timezone ?? 'UTC';
  const script = spec.check?.script ? resolve(project.dir, spec.check.script) : undefined;
  const cases: CheckCase[] = [];
  const checkOne = async (image: BuiltImage, arch: Arch, digest: string) => {
    const tag = image.tags[0]!;
    const suite = `${spec.name}:${tag}`;
    const ref = `dockyard-check/${spec.name}:${tag}-${arch}`;
    log(`checking ${suite} on linux/${arch}`);
    await loadPlatform(docker, build.layout, digest, ref, work);
    try {
      const inspected = await docker.getImage(ref).inspect();
      cases.push(
        await timed(suite, `${arch}: os is linux`, async () =>
          inspected.Os === 'linux' ? undefined : `the image's OS is ${inspected.Os}`,
        ),
      );
      const probe = await runIn(docker, ref, [
        'sh',
        '-c',
        'echo "machine=$(uname -m)"; echo "timezone=$(date +%Z)"; cat /etc/os-release 2>/dev/null || true',
      ]);
      const facts = parseOsRelease(
        probe.output.replace(/^(machine|timezone)=/gm, (_, key: string) => key.toUpperCase() + '='),
      );
      cases.push(
        await timed(suite, `${arch}: arch is ${arch}`, async () => {
          if (inspected.Architecture !== arch) return `the image's config says ${inspected.Architecture}`;
          if (probe.exitCode !== 0)
            return `the container did not run (exit ${probe.exitCode}): ${probe.output.trim().slice(-300)}`;
          return facts.MACHINE === machineOf[arch]
            ? undefined
            : `uname -m in the container prints ${facts.MACHINE}, expected ${machineOf[arch]}`;
        }),
      );
      cases.push(
        await timed(suite, `${arch}: timezone is ${timezone}`, async () =>
          facts.TIMEZONE === timezone
            ? undefined
            : `date +%Z prints ${facts.TIMEZONE ?? 'nothing'}, expected ${timezone}`,
        ),
      );
      if (spec.base) {
        cases.push(
          await timed(suite, `${arch}: /etc/os-release VERSION is ${tag}`, async () =>
            facts.VERSION !== undefined && versionAsTag(facts.VERSION) === tag
              ? undefined
              : `VERSION is ${facts.VERSION === undefined ? 'missing' : `"${facts.VERSION}" (${versionAsTag(facts.VERSION)})`}, expected ${tag}`,
          ),
        );
      }
      if (script) {
        cases.push(
          await timed(suite, `${arch}: ${spec.check!.script}`, async () => {
            const env = {
              ...(options.env ?? process.env),
              DOCKER_TAG: tag,
              DOCKER_IMAGE: ref,
              DOCKER_PLATFORM: `linux/${arch}`,
            };
            const result = await runScript(script, env);
            return result.exitCode === 0
              ? undefined
              : `exit ${result.exitCode}: ${result.output.trim().split('\n').slice(-5).join(' | ')}`;
          }),
        );
      }
    } finally {
      await docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
    }
  };
  for (const image of images)
    for (const platform of image.platforms) await checkOne(image, platform.arch, platform.digest);
  await rm(work, { recursive: true, force: true });
  const report = join(dir, 'junit.xml');
  await writeFileAtomic(report, junitXml(cases));
  return { cases, failed: cases.filter((c) => c.failure !== undefined).length, report };
}
