import { writeFileAtomic } from '@dockyard/files';
import type { SignedImage } from '@dockyard/attest';
import {
  ContentStore,
  locationContext,
  parseReference,
  type CopyResult,
  type CopyScheduler,
  type RegistryPool,
} from '@dockyard/oci';
import type { Arch } from '@dockyard/project-spec';
import {
  appImageWhere,
  appShippedImages,
  lockFilePath,
  namedImage,
  pinnedDigest,
  readPinnedLock,
} from '@dockyard/sources';
import { projectSigningKey, signPushed } from '../shared/signing';
import { resolveLock, type ResolveFacts, type ResolveOptions } from '../shared/resolve';
import { buildAppImage, listAppImages, type AppImageRequest, type BuiltVersion, type ImagePin } from './build';
import type { AppImageProject } from './project';
import { publishAppImage, publishPlan, type PublishStep } from './publish';

export interface AppImageOptions {
  pool: RegistryPool;
  scheduler: CopyScheduler;
  store?: ContentStore;
  /** Progress lines (init.sh ran, images filled). */
  log?: (line: string) => void;
}

function requestOf(project: AppImageProject, options: AppImageOptions): AppImageRequest {
  const { spec } = project;
  return {
    spec,
    projectDir: project.dir,
    distDir: project.outputs.root,
    store: options.store ?? ContentStore.default(),
    context: locationContext(options.pool),
    scheduler: options.scheduler,
    initTimeoutMs: spec.initTimeoutSeconds ? spec.initTimeoutSeconds * 1000 : undefined,
    log: options.log,
  };
}

/** The lock's digest for each image an AppImage carries: a build ships exactly what `resolve` pinned. */
async function lockedImagePin(project: AppImageProject): Promise<ImagePin> {
  const { spec, dir, file } = project;
  const lock = await readPinnedLock({ name: spec.name, dir, file });
  const lockFile = lockFilePath(dir);
  return (image, version, arch) =>
    pinnedDigest(lock, namedImage(image.ref, appImageWhere(file, version, arch)), lockFile);
}

/** Every version and arch into an OCI layout at dist/<name>/<version>/, the images it carries read by locked digest. */
export async function buildProject(project: AppImageProject, options: AppImageOptions): Promise<BuiltVersion[]> {
  return buildAppImage(requestOf(project, options), await lockedImagePin(project));
}

export interface ListedImages {
  version: string;
  arch: Arch;
  images: string[];
  warnings: string[];
  /** The images.list written. */
  list: string;
}

/** Runs init.sh per arch and writes the images each arch's image would carry to dist/<name>/images/; builds nothing. */
export async function listProjectImages(project: AppImageProject, options: AppImageOptions): Promise<ListedImages[]> {
  const listed: ListedImages[] = [];
  for (const found of await listAppImages(requestOf(project, options))) {
    const list = project.outputs.appImagesList(found.version, found.arch);
    await writeFileAtomic(list, found.images.map((i) => `${i}\n`).join(''));
    listed.push({ ...found, list });
  }
  return listed;
}

/**
 * Pushes what dist/ holds to `repository` and every publish.registries entry; with dryRun, only plans it. With a
 * `sign:` section the key is read before any push, and each pushed manifest (every arch's and the index) is signed
 * by its digest, its SBOM and provenance attached as referrers.
 */
export async function publishProject(
  project: AppImageProject,
  options: AppImageOptions & { dryRun?: boolean; env?: NodeJS.ProcessEnv },
): Promise<{ steps: PublishStep[]; results: CopyResult[]; signed: SignedImage[] }> {
  const store = options.dryRun ? undefined : (options.store ?? ContentStore.default());
  const steps = await publishPlan(project.spec, project.outputs.root, store);
  const key = await projectSigningKey(project, options.env ?? process.env);
  if (options.dryRun) return { steps, results: [], signed: [] };
  const results = await publishAppImage(steps, options.scheduler, locationContext(options.pool));
  const signed: SignedImage[] = [];
  if (key)
    for (const result of results) {
      const ref = parseReference(result.target.replace(/^docker:\/\//, ''));
      // No package list: an AppImage's layers are its payload (registry blobs, charts), not a distribution's rootfs.
      signed.push(await signPushed(options.pool, { ...ref, digest: result.digest }, key, []));
    }
  return { steps, results, signed };
}

/** Pins every image the AppImage's versions carry (init.sh and discovery find them) in its lock. */
export function resolveProject(
  project: AppImageProject,
  options: ResolveOptions & { scheduler: CopyScheduler },
): Promise<ResolveFacts> {
  return resolveLock(project, options, async (p) =>
    appShippedImages(await listAppImages(requestOf(p, { pool: options.pool, scheduler: options.scheduler })), p.file),
  );
}
