import { cp, mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { AppImage, Arch } from '@dockyard/project-spec';
import { BUILD_RECORD } from '@dockyard/project-spec/output-paths';
import { DockyardError } from '@dockyard/errors';
import { replaceDirectory, writeFileAtomic } from '@dockyard/files';
import { baseImageOpener, urlDownloader, buildImages } from '@dockyard/builder';
import {
  buildIndex,
  CopyScheduler,
  keepLayout,
  openTarget,
  parseLocation,
  writeImages,
  type ContentStore,
  type Image,
  type ImageIndex,
  type LocationContext,
} from '@dockyard/oci';
import { appVersions, type AppVersion } from './app-versions';
import { runInitScript } from './init-script';
import type { DiscoveredImage } from '@dockyard/discover';
import { discoverAppImages, fillRegistry, type PayloadImage } from './registry-payload';

export interface AppImageRequest {
  spec: AppImage;
  projectDir: string;
  /** `dist/<name>`: each version lands in `<distDir>/<version>/`. */
  distDir: string;
  store: ContentStore;
  context: LocationContext;
  scheduler: CopyScheduler;
  /** init.sh time limit per arch (default 30 min). */
  initTimeoutMs?: number;
  log?(line: string): void;
}

export interface BuiltArch {
  arch: Arch;
  tag: string;
  digest: string;
  images: PayloadImage[];
}

export interface BuiltVersion {
  version: string;
  folder: string;
  /** `<repository>:<version>`, the index over the arches. */
  tag: string;
  digest: string;
  arches: BuiltArch[];
  /** The OCI layout holding every image of this version: `<version>-<arch>` and `<version>`. */
  layout: string;
}

/** What `build.json` in `dist/<name>/<version>/` records, for publish and bundles. */
export interface AppImageRecord {
  repository: string;
  version: string;
  digest: string;
  arches: { arch: Arch; digest: string; images: PayloadImage[] }[];
}

/** The digest a discovered image is pinned to (by the lock), given where it was found; throws when it is not pinned. */
export type ImagePin = (image: DiscoveredImage, version: string, arch: Arch) => string;

export { BUILD_RECORD };
const DEFAULT_INIT_TIMEOUT_MS = 30 * 60_000;

async function dockerfileIn(dir: string): Promise<string> {
  for (const name of ['Kubefile', 'Dockerfile'])
    if (
      await stat(join(dir, name)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return join(dir, name);
  throw new DockyardError(`${dir}: no Kubefile or Dockerfile (after init.sh ran)`, { code: 'APP_NO_KUBEFILE' });
}

/** A scratch copy of the version folder for one arch, init.sh run in it; the caller removes it. */
async function preparedCopy(
  request: AppImageRequest,
  version: AppVersion,
  arch: Arch,
  logDir: string,
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), `dockyard-app-${request.spec.name}-${arch}-`));
  try {
    await cp(version.folder, work, { recursive: true, verbatimSymlinks: true });
    const ran = await runInitScript(
      work,
      { arch, name: request.spec.name, version: version.version },
      join(logDir, arch, 'init.log'),
      request.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS,
    );
    request.log?.(`${request.spec.name} ${version.version} ${arch}: ${ran === 'ran' ? 'init.sh done' : 'no init.sh'}`);
    return work;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** Runs init.sh per arch and lists the images each arch's image would carry, without building. */
export async function listAppImages(
  request: AppImageRequest,
): Promise<{ version: string; arch: Arch; images: string[]; warnings: string[] }[]> {
  const out: { version: string; arch: Arch; images: string[]; warnings: string[] }[] = [];
  for (const version of await appVersions(request.spec, request.projectDir)) {
    for (const arch of version.arches) {
      const work = await preparedCopy(request, version, arch, join(request.distDir, 'images', version.version));
      try {
        const { images, warnings } = await discoverAppImages(work);
        out.push({ version: version.version, arch, images: images.map((i) => i.ref), warnings });
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }
  }
  return out;
}

async function buildArch(
  request: AppImageRequest,
  pin: ImagePin,
  version: AppVersion,
  arch: Arch,
  logDir: string,
): Promise<{ image: Image; images: PayloadImage[] }> {
  const work = await preparedCopy(request, version, arch, logDir);
  try {
    const platform = { os: 'linux', architecture: arch };
    const { images: found, warnings } = await discoverAppImages(work);
    for (const warning of warnings) request.log?.(`warning: ${warning}`);
    const openImage = baseImageOpener(request.context);
    const images = await fillRegistry(found, platform, join(work, 'registry'), {
      store: request.store,
      scheduler: request.scheduler,
      context: request.context,
      openImage,
      pin: (image) => pin(image, version.version, arch),
    });
    request.log?.(`${request.spec.name} ${version.version} ${arch}: ${images.length} image(s) in registry/`);
    const dockerfile = await dockerfileIn(work);
    const dockerfileName = relative(process.cwd(), join(version.folder, basename(dockerfile)));
    const result = await buildImages({
      dockerfile,
      dockerfileName,
      contextDir: work,
      platforms: [platform],
      store: request.store,
      // The scratch copy has no history: the version folder's dates each layer's files.
      historyDir: version.folder,
      openImage,
      download: urlDownloader(request.store),
    });
    return { image: result.top as Image, images };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Builds every version of a sealos-style app: per arch a scratch copy of the version folder, init.sh, the
 * discovered images (that arch only, read by the digests `pin` names) in `registry/`, the Kubefile built
 * daemonless; then the index. Each version's images land in an OCI layout at `dist/<name>/<version>/` with a
 * `build.json` naming their digests, swapped in only when the whole version built: a failure keeps the previous
 * output, and init.sh's logs stay in `dist/<name>/logs/<version>/`. With a shared tier behind the store, every blob of
 * the layout is kept in the store (and so in that tier), linked into the layout.
 */
export async function buildAppImage(request: AppImageRequest, pin: ImagePin): Promise<BuiltVersion[]> {
  const { spec } = request;
  const built: BuiltVersion[] = [];
  for (const version of await appVersions(spec, request.projectDir)) {
    const dir = join(request.distDir, version.version);
    // Outside the folder being replaced, so that a failed init.sh's log is still where its error says.
    const logDir = join(request.distDir, 'logs', version.version);
    await rm(logDir, { recursive: true, force: true });
    const arches: (BuiltArch & { image: Image })[] = [];
    const index = await replaceDirectory(dir, async (temp) => {
      for (const arch of version.arches) {
        const { image, images } = await buildArch(request, pin, version, arch, logDir);
        arches.push({
          arch,
          tag: `${spec.repository}:${version.version}-${arch}`,
          digest: image.manifest.digest,
          images,
          image,
        });
      }
      const index: ImageIndex = await buildIndex(arches.map((a) => a.image));
      const layout = parseLocation(`oci:${temp}`);
      const items = [
        ...arches.map((a) => ({
          model: a.image,
          target: { ...openTarget(layout, request.context), at: { tag: `${version.version}-${a.arch}` } },
        })),
        { model: index, target: { ...openTarget(layout, request.context), at: { tag: version.version } } },
      ];
      await writeImages(request.scheduler, items);
      // With a shared tier every blob is kept there too, so a cache needs only the layout's small files.
      if (request.store.shared) await keepLayout(temp, request.store);
      const record: AppImageRecord = {
        repository: spec.repository,
        version: version.version,
        digest: index.manifest.digest,
        arches: arches.map(({ arch, digest, images }) => ({ arch, digest, images })),
      };
      await writeFileAtomic(join(temp, BUILD_RECORD), JSON.stringify(record, null, 2) + '\n');
      for (const arch of await readdir(logDir).catch(() => [])) await rename(join(logDir, arch), join(temp, arch));
      return index;
    });
    await rm(logDir, { recursive: true, force: true });
    await rmdir(dirname(logDir)).catch(() => undefined);
    built.push({
      version: version.version,
      folder: version.folder,
      tag: `${spec.repository}:${version.version}`,
      digest: index.manifest.digest,
      arches: arches.map(({ image: _image, ...rest }) => rest),
      layout: dir,
    });
  }
  return built;
}
