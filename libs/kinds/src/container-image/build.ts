import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { baseImageOpener, buildImages, urlDownloader } from '@dockyard/builder';
import { DockyardError } from '@dockyard/errors';
import { replaceDirectory, writeFileAtomic } from '@dockyard/files';
import {
  buildIndex,
  completeLayout,
  ContentStore,
  CopyScheduler,
  keepLayout,
  LayoutNotStoredError,
  locationContext,
  openSource,
  openTarget,
  parseLocation,
  readImage,
  RegistryPool,
  writeImages,
  type Image,
  type LocationContext,
  type TarEntry,
} from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';
import {
  appImageTags,
  entryContextDir,
  readMeta,
  openBaseRootfs,
  contextEntries,
  DEFAULT_BASE_DOCKERFILE,
  dockerfileFacts,
  rootfsContextName,
  answeringEngine,
  assertCanRun,
  engineBuild,
  engineBuildKey,
  readBuildResult,
  BUILD_SUMMARY,
  type BuildResult,
  type BuiltImage,
  prepareBases,
  type PreparedBase,
  baseTags,
} from '@dockyard/container';
import type { ContainerProject } from './project';

export interface BuildOptions {
  /** The Docker engine for Dockerfiles with RUN; default: DOCKER_HOST or the local socket. */
  docker?: Dockerode;
  store?: ContentStore;
  log?: (line: string) => void;
}

interface ArchBuild {
  arch: Arch;
  context: TarEntry[];
  /** Digests known of context files without reading them (the base rootfs), for the engine build's key. */
  knownDigests?: ReadonlyMap<string, string>;
}

interface ImagePlan {
  name: string;
  tags: string[];
  dockerfile: { path: string; text: string };
  arches: ArchBuild[];
}

async function readDockerfile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new DockyardError(
      `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such Dockerfile' : (err as Error).message}`,
      { code: 'DOCKERFILE_READ', cause: err },
    );
  }
}

async function basePlans(project: ContainerProject, store: ContentStore, bases: PreparedBase[]): Promise<ImagePlan[]> {
  const { spec } = project;
  const custom = spec.dockerfile ? resolve(project.dir, spec.dockerfile) : undefined;
  const dockerfile = custom
    ? { path: custom, text: await readDockerfile(custom) }
    : { path: 'the default base Dockerfile', text: DEFAULT_BASE_DOCKERFILE };
  const extras = custom ? (await contextEntries(dirname(custom))).filter((e) => e.path !== 'Dockerfile') : [];
  return Promise.all(
    (spec.versions ?? []).map(async (version) => ({
      name: version,
      tags: baseTags(version, spec.tags),
      dockerfile,
      arches: await Promise.all(
        spec.arches.map(async (arch) => {
          const base = bases.find((b) => b.version === version && b.arch === arch)!;
          const rootfs = await openBaseRootfs(store, base.digest, base.url);
          const entry: TarEntry = {
            path: rootfsContextName(arch),
            type: 'file',
            size: rootfs.layer.size,
            content: () => rootfs.open(),
          };
          return { arch, context: [...extras, entry], knownDigests: new Map([[entry.path, rootfs.layer.digest]]) };
        }),
      ),
    })),
  );
}

async function appPlans(project: ContainerProject): Promise<ImagePlan[]> {
  const app = project.spec.app!;
  const metaFile = resolve(project.dir, app.meta);
  const entries = await readMeta(metaFile);
  const tags = appImageTags(entries, app.latest ?? true);
  return Promise.all(
    entries.map(async (entry) => {
      const contextDir = entryContextDir(metaFile, entry);
      const path = join(dirname(metaFile), entry.path);
      const context = (await contextEntries(contextDir)).filter((e) => e.path !== 'Dockerfile');
      const arches = entry.arch ? [entry.arch] : project.spec.arches;
      return {
        name: entry.tag,
        tags: tags.get(entry)!,
        dockerfile: { path, text: await readDockerfile(path) },
        arches: arches.map((arch) => ({ arch, context })),
      };
    }),
  );
}

/**
 * Builds every image of a ContainerImage project for each of its arches and joins each into one multi-arch index,
 * written with all its tags to dist/<name>/build/oci. Base images start from the prepared openEuler rootfs; a
 * Dockerfile with RUN is built by the Docker engine (foreign arches under qemu), one image per arch, exported and
 * joined by the OCI engine. The output is swapped in only when everything built, so a failure keeps the previous one.
 */
export async function buildProject(project: ContainerProject, options: BuildOptions = {}): Promise<BuildResult> {
  const { spec } = project;
  const store = options.store ?? ContentStore.default();
  const log = options.log ?? (() => undefined);
  const bases = spec.base
    ? await prepareBases({
        repo: spec.base.repo,
        index: spec.base.index,
        versions: spec.versions ?? [],
        arches: spec.arches,
        projectDir: resolve(project.dir),
        store,
      })
    : [];
  const plans = spec.base ? await basePlans(project, store, bases) : await appPlans(project);
  const runs = new Map(plans.map((plan) => [plan, dockerfileFacts(plan.dockerfile.text, plan.dockerfile.path).runs]));
  for (const plan of plans) if (runs.get(plan)) for (const { arch } of plan.arches) await assertCanRun(arch);

  const docker = [...runs.values()].some(Boolean) ? await answeringEngine(options.docker) : undefined;
  const dir = project.outputs.build;
  const layout = project.outputs.buildLayout;
  const context = locationContext(new RegistryPool());
  const scheduler = new CopyScheduler();
  // The last build's output stays in place until this one is swapped in: its arch images can be reused (once its
  // layout has the blobs a cache may have left out; a layout the stores cannot complete is just not reused).
  const previous = docker ? await readBuildResult(dir, spec.name).catch(() => undefined) : undefined;
  if (previous)
    await completeLayout(layout, store, spec.name).catch((err: unknown) => {
      if (!(err instanceof LayoutNotStoredError)) throw err;
    });
  return replaceDirectory(dir, async (temp) => {
    const work = join(temp, 'engine');
    const images: BuiltImage[] = [];
    for (const plan of plans) {
      const built: { image: Image; inputs?: string }[] = runs.get(plan)
        ? await engineImages(plan, spec.name, docker!, work, context, log, previous, layout)
        : (await daemonlessImages(plan, join(work, 'context', plan.tags[0]!), store, context, log)).map((image) => ({
            image,
          }));
      const perArch = built.map(({ image }) => image);
      const index = await buildIndex(perArch);
      await writeImages(
        scheduler,
        plan.tags.map((tag) => ({
          model: index,
          target: openTarget(parseLocation(`oci:${join(temp, 'oci')}:${tag}`), context),
        })),
      );
      images.push({
        name: plan.name,
        tags: plan.tags,
        digest: index.manifest.digest,
        platforms: built.map(({ image, inputs }, i) => ({
          arch: plan.arches[i]!.arch,
          digest: image.manifest.digest,
          ...(inputs ? { inputs } : {}),
        })),
      });
    }
    await rm(work, { recursive: true, force: true });
    // With a shared tier every blob is kept there too, so a cache needs only the layout's small files.
    if (store.shared) await keepLayout(join(temp, 'oci'), store);
    const result: BuildResult = { layout, images, bases };
    await writeFileAtomic(join(temp, BUILD_SUMMARY), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  });
}

/** The arch image the last build (`previous`, its layout still in place) made from the same inputs, if any. */
async function reusable(
  previous: BuildResult | undefined,
  layout: string,
  plan: ImagePlan,
  arch: Arch,
  inputs: string,
  context: LocationContext,
): Promise<Image | undefined> {
  const platform = previous?.images
    .find((image) => image.name === plan.name)
    ?.platforms.find((p) => p.arch === arch && p.inputs === inputs);
  if (!platform) return undefined;
  const model = await readImage(openSource(parseLocation(`oci:${layout}:${platform.digest}`), context)).catch(
    () => undefined,
  );
  return model?.kind === 'image' ? model : undefined;
}

/**
 * A Dockerfile with RUN: the Docker engine builds the arches side by side, `docker save` exports each, and the
 * archive is read as the image model. An arch whose Dockerfile and context are those of the last build's (its key,
 * engine-build-key.ts) is taken from that build instead: a change of tags, registries or another image's Dockerfile
 * runs no RUN again.
 */
async function engineImages(
  plan: ImagePlan,
  name: string,
  docker: Dockerode,
  work: string,
  context: LocationContext,
  log: (line: string) => void,
  previous: BuildResult | undefined,
  previousLayout: string,
): Promise<{ image: Image; inputs: string }[]> {
  return Promise.all(
    plan.arches.map(async ({ arch, context: files, knownDigests }) => {
      const inputs = await engineBuildKey({ dockerfile: plan.dockerfile.text, arch, context: files, knownDigests });
      const reused = await reusable(previous, previousLayout, plan, arch, inputs, context);
      if (reused) {
        log(`reusing ${name}:${plan.tags[0]} for linux/${arch}: its Dockerfile and context are the last build's`);
        return { image: reused, inputs };
      }
      log(`building ${name}:${plan.tags[0]} for linux/${arch}`);
      const archive = join(work, `${plan.tags[0]}-${arch}.tar`);
      await engineBuild({
        docker,
        dockerfile: plan.dockerfile.text,
        context: files,
        arch,
        tag: `dockyard-build/${name}:${plan.tags[0]}-${arch}`,
        archive,
        dockerfileName: plan.dockerfile.path,
      });
      const model = await readImage(openSource(parseLocation(`docker-archive:${archive}`), context));
      if (model.kind !== 'image') throw new Error(`${archive}: docker save wrote an index, expected one image`);
      return { image: model, inputs };
    }),
  );
}

/**
 * A Dockerfile without RUN: the daemonless builder (libs/builder) builds every arch from one context folder holding
 * the Dockerfile, its neighbours and each arch's rootfs under the name the Dockerfile ADDs.
 */
async function daemonlessImages(
  plan: ImagePlan,
  contextDir: string,
  store: ContentStore,
  context: LocationContext,
  log: (line: string) => void,
): Promise<Image[]> {
  await mkdir(contextDir, { recursive: true });
  const dockerfile = join(contextDir, 'Dockerfile');
  await writeFile(dockerfile, plan.dockerfile.text);
  const written = new Set<string>();
  for (const { context: files } of plan.arches) {
    for (const entry of files) {
      if (written.has(entry.path)) continue;
      written.add(entry.path);
      const path = join(contextDir, entry.path);
      if (entry.type === 'directory') await mkdir(path, { recursive: true });
      else if (entry.type === 'file') {
        await mkdir(dirname(path), { recursive: true });
        if (Buffer.isBuffer(entry.content)) await writeFile(path, entry.content);
        else await pipeline(await entry.content!(), createWriteStream(path, { mode: entry.mode }));
      }
    }
  }
  log(`building ${plan.tags[0]} daemonless for ${plan.arches.map((a) => `linux/${a.arch}`).join(', ')}`);
  const result = await buildImages({
    dockerfile,
    contextDir,
    platforms: plan.arches.map(({ arch }) => ({ os: 'linux', architecture: arch })),
    store,
    openImage: baseImageOpener(context),
    download: urlDownloader(store),
  });
  return result.images.map(({ image }) => image);
}
