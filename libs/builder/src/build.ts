import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';
import { BuildContext } from './build-context';
import { ContentDigests } from './content-digests';
import { DockerfileError, parseDockerfile } from './dockerfile';
import { imageFiles } from './image-files';
import { LayerBuilder } from './layer-builder';
import { buildIndex, type ContentStore, type Image, type ImageIndex, type Platform } from './oci';
import { keyValues } from './config-instructions';
import { fileCommitTimes, givenSourceDateEpoch, sourceDateEpoch } from '@dockyard/files';
import { buildStage } from './stage-builder';
import { automaticArgs, type StageEnvironment, type StageResult } from './stage-environment';
import { contextTree, type SourceTree } from './source-tree';

export interface BuildRequest {
  /** The Dockerfile or Kubefile. */
  dockerfile: string;
  /** How errors name the file (default: its path from the current folder), e.g. the original of a scratch copy. */
  dockerfileName?: string;
  contextDir: string;
  /** One image per platform; several give an index too. */
  platforms: Platform[];
  buildArgs?: Record<string, string>;
  /** The stage to build (default: the last). */
  target?: string;
  store: ContentStore;
  /**
   * One time for every layer entry, `created` and history. Default: SOURCE_DATE_EPOCH when set; else each layer
   * copied from the context takes the newest commit time of the files it holds (0 for files no commit holds) and
   * the rest take the context's last commit time (0 outside a git checkout).
   */
  epoch?: number;
  /** The git checkout folder whose history dates the context's files, when the context is a copy of it. */
  historyDir?: string;
  /** Resolves a base image reference (registry, `oci:`, `docker-archive:`) to the image for one platform. */
  openImage(reference: string, platform: Platform): Promise<Image>;
  /** Downloads an `ADD URL` into the store (verified against `checksum` when given). */
  download(url: string, checksum: string | undefined): Promise<{ digest: string; size: number; path: string }>;
}

export interface BuildResult {
  /** The index over every platform's image when several were built, else the one image. */
  top: Image | ImageIndex;
  images: { platform: Platform; image: Image }[];
  epoch: number;
  layersBuilt: number;
  layersCached: number;
  /** `--build-arg`s no ARG declared (Docker warns about them too). */
  unusedBuildArgs: string[];
}

export function hostPlatform(): Platform {
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch;
  return { os: 'linux', architecture };
}

/**
 * Builds a COPY/ADD-only Dockerfile for each platform, daemonless: layers are made from the context by the
 * shared tar writer, stored and cached in the content store; the result is the image model, ready to be
 * written to any location.
 */
export async function buildImages(request: BuildRequest): Promise<BuildResult> {
  const text = await readFile(request.dockerfile, 'utf8');
  const file = request.dockerfileName ?? (relative(process.cwd(), request.dockerfile) || request.dockerfile);
  const parsed = parseDockerfile(file, text);
  const context = await BuildContext.open(request.contextDir, request.dockerfile);
  const digests = await ContentDigests.load(join(request.store.dir, 'dockyard-build-cache', 'file-digests.json'));
  const historyDir = request.historyDir ?? request.contextDir;
  const fixedEpoch = request.epoch ?? givenSourceDateEpoch();
  const [commitTimes, epoch] = await Promise.all([
    fixedEpoch === undefined ? fileCommitTimes(historyDir) : undefined,
    fixedEpoch ?? sourceDateEpoch(historyDir),
  ]);
  const tree = contextTree(context, digests, commitTimes);
  const buildArgs = new Map(Object.entries(request.buildArgs ?? {}));
  const usedArgs = new Set<string>();
  const layers = new LayerBuilder(request.store);
  const stats = { layersBuilt: 0, layersCached: 0 };
  const scratchDir = await mkdtemp(join(tmpdir(), 'dockyard-build-'));
  const buildPlatform = hostPlatform();
  const targetIndex = request.target
    ? parsed.stages.findIndex((s) => s.name === request.target!.toLowerCase())
    : parsed.stages.length - 1;
  if (targetIndex < 0)
    throw new DockerfileError(
      file,
      1,
      `no stage named "${request.target}" (stages: ${parsed.stages.map((s) => s.name ?? s.index).join(', ')})`,
    );
  try {
    const images = await Promise.all(
      request.platforms.map(async (platform) => {
        const globalArgs = new Map<string, string>();
        const automatic = automaticArgs(platform, buildPlatform);
        for (const at of parsed.globalArgs) {
          for (const [name, fallback] of keyValues(at, {
            file,
            vars: new Map([...automatic, ...globalArgs]),
            shell: [],
            escape: parsed.escape,
          })) {
            usedArgs.add(name);
            const value = buildArgs.get(name) ?? (at.args.includes('=') ? fallback : automatic.get(name));
            if (value !== undefined) globalArgs.set(name, value);
          }
        }
        const env: StageEnvironment = {
          file,
          escape: parsed.escape,
          context: tree,
          store: request.store,
          layers,
          epoch,
          scratchDir,
          platform,
          buildPlatform,
          buildArgs,
          usedArgs,
          globalArgs,
          openImage: request.openImage,
          download: request.download,
          stats,
          imageTrees: new Map<string, Promise<SourceTree>>(),
          imageFiles: (image) => imageFiles(image, request.store, scratchDir),
        };
        const done: StageResult[] = [];
        for (const stage of parsed.stages.slice(0, targetIndex + 1)) done.push(await buildStage(stage, env, done));
        return { platform, image: done.at(-1)!.image };
      }),
    );
    await digests.save([request.contextDir, tmpdir()]);
    const top = images.length === 1 ? images[0]!.image : await buildIndex(images.map((i) => i.image));
    return { top, images, epoch, ...stats, unusedBuildArgs: [...buildArgs.keys()].filter((k) => !usedArgs.has(k)) };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
