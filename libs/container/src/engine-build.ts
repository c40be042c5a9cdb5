import { DockyardError } from '@dockyard/errors';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { sortTarEntries, tarStream, type TarEntry } from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';
import { hostArch, repositoryArch } from './arch';
import { loadScratchImage, replaceScratch } from './scratch-image';

export interface EngineBuildRequest {
  docker: Dockerode;
  dockerfile: string;
  /** Build-context files besides the Dockerfile: whatever it ADDs/COPYs. */
  context: TarEntry[];
  /** Image arch, e.g. arm64; the image is built for linux/<arch>. */
  arch: Arch;
  /** Engine-local tag of the result, removed again after export. */
  tag: string;
  /** Where the `docker save` archive of the result is written (a docker-archive location). */
  archive: string;
  /** Shown in errors: the Dockerfile's path. */
  dockerfileName: string;
}

const binfmtDir = '/proc/sys/fs/binfmt_misc';

/**
 * A RUN for another arch runs under qemu-user-static through binfmt_misc; without the handler the engine fails
 * with "exec format error" deep in the build log, so the missing handler is named first, with the fix.
 */
export async function assertCanRun(arch: Arch, binfmt = binfmtDir): Promise<void> {
  if (arch === hostArch()) return;
  const machine = repositoryArch(arch) ?? arch;
  const state = await readFile(`${binfmt}/qemu-${machine}`, 'utf8').catch(() => '');
  if (state.startsWith('enabled')) return;
  throw new DockyardError(
    `building for ${arch} runs ${machine} programs (the Dockerfile has RUN), but this ${hostArch()} machine has no enabled binfmt_misc handler qemu-${machine}: install qemu-user-static and binfmt-support, then run \`mount -t binfmt_misc binfmt_misc ${binfmtDir}\` (if not mounted) and \`update-binfmts --enable qemu-${machine}\``,
    { code: 'ENGINE_BUILD' },
  );
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Builds with the Docker engine's own (legacy) builder for linux/<arch> — it works offline, where BuildKit's
 * frontends need the network — and exports the result with `docker save` into `archive`. TARGETARCH and friends are
 * passed as build arguments since the legacy builder does not set them; `FROM scratch` starts from an empty image of
 * the target platform (see scratch-image.ts).
 */
export async function engineBuild(request: EngineBuildRequest): Promise<void> {
  const { docker, arch } = request;
  const platform = `linux/${arch}`;
  const dockerfile = replaceScratch(request.dockerfile, await loadScratchImage(docker, arch));
  const context = sortTarEntries([
    { path: 'Dockerfile', type: 'file' as const, content: Buffer.from(dockerfile) },
    ...request.context.filter((e) => e.path !== 'Dockerfile'),
  ]);
  const progress = await docker.buildImage(tarStream(context) as unknown as NodeJS.ReadableStream, {
    t: request.tag,
    platform,
    version: '1',
    rm: true,
    forcerm: true,
    networkmode: 'none',
    buildargs: { TARGETARCH: arch, TARGETOS: 'linux', TARGETPLATFORM: platform },
  });
  const events = await new Promise<BuildEvent[]>((resolve, reject) =>
    docker.modem.followProgress(progress, (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out))),
  );
  const failure = events.find((e) => e.error || e.errorDetail);
  if (failure) {
    const log = events
      .map((e) => e.stream ?? '')
      .join('')
      .trim()
      .split('\n')
      .slice(-8)
      .join('\n');
    throw new DockyardError(
      `${request.dockerfileName} for ${platform}: ${failure.errorDetail?.message ?? failure.error}${log ? `\n${log}` : ''}`,
      { code: 'ENGINE_BUILD' },
    );
  }
  const image = docker.getImage(request.tag);
  try {
    const inspected = await image.inspect();
    if (inspected.Os !== 'linux' || inspected.Architecture !== arch) {
      throw new DockyardError(
        `${request.dockerfileName}: the engine built ${inspected.Os}/${inspected.Architecture} when ${platform} was asked for (a Docker engine older than API 1.38 ignores the platform)`,
        { code: 'ENGINE_BUILD' },
      );
    }
    await mkdir(dirname(request.archive), { recursive: true });
    await rm(request.archive, { force: true });
    await pipeline(await image.get(), createWriteStream(request.archive));
  } finally {
    await image.remove({ force: true }).catch(() => undefined);
  }
}
