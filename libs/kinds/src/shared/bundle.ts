import { access, rm } from 'node:fs/promises';
import {
  besideInventory,
  changedTags,
  clearOtherBundles,
  deltaBase,
  descriptorBeside,
  deltaOutput,
  formatInventory,
  heldBlobs,
  keepBundle,
  makeBundle,
  readInventory,
  type BundlePlan,
  type BundleProgress,
  type BundleResult,
  type Inventory,
  type TagChange,
} from '@dockyard/bundle';
import { DockyardError } from '@dockyard/errors';
import { PathEscapeError, sourceDateEpoch, writeFileAtomic } from '@dockyard/files';
import type { ContentStore, CopyScheduler, Descriptor, RegistryPool } from '@dockyard/oci';
import type { OpenedProject } from '@dockyard/project-spec';

export interface BundleOptions {
  /** A previous inventory (a bundle's, or a registry's): the bundle becomes a delta that leaves out what it holds. */
  since?: string;
  store: ContentStore;
  pool: RegistryPool;
  scheduler: CopyScheduler;
  /** Platforms to keep of every multi-arch image (default: the project's, else all). */
  platforms?: string[];
  /** Counters the caller may show while the bundle is made. */
  progress?: BundleProgress;
}

/** What a bundle run did. */
export interface BundleFacts extends BundleResult {
  output: string;
  /** Images left out because they live on a documentation-only host. */
  skipped?: BundlePlan['skipped'];
  /** Bundles of other versions removed from the bundle folder. */
  cleared: string[];
  /** Tags whose digest changed since the previous inventory. */
  changes: TagChange[];
  /** The full bundle as kept in the content store and its shared tier (only when the store has one). */
  kept?: { descriptor: Descriptor; shared: string };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A path the plan refused, pointed at in project.yaml (validate refuses most first; a URL's file name is only known here). */
export async function planAt(project: OpenedProject, plan: () => Promise<BundlePlan>): Promise<BundlePlan> {
  try {
    return await plan();
  } catch (err) {
    if (!(err instanceof PathEscapeError)) throw err;
    const { line, column } = project.loaded.source?.position([...err.field]) ?? { line: 1, column: 1 };
    throw new DockyardError(`${project.file}:${line}:${column}: ${err.message}`, { code: 'BUNDLE_PATH', cause: err });
  }
}

/** Writes the planned bundle (a delta with `since`), its inventory beside it, and clears bundles of other versions. */
export async function writePlannedBundle(
  project: OpenedProject,
  plan: BundlePlan,
  options: BundleOptions,
): Promise<BundleFacts> {
  const since = options.since ? await readInventory(options.since) : undefined;
  if (since) {
    const held = heldBlobs(since);
    for (const payload of plan.payloads) if (payload.format !== 'docker-archive') payload.omit = held;
    plan.output = deltaOutput(plan.output, deltaBase(since));
  }
  const inventoryFile = besideInventory(plan.output, since !== undefined);
  const previous: Inventory | undefined =
    since ?? ((await exists(inventoryFile)) ? await readInventory(inventoryFile).catch(() => undefined) : undefined);
  if (options.platforms) for (const payload of plan.payloads) payload.platforms = options.platforms;
  // With a shared tier the full bundle is kept there by its digest, and its descriptor is what the Nx target caches.
  const shared = since ? undefined : options.store.shared;
  const result = await makeBundle({
    ...plan,
    mtime: await sourceDateEpoch(project.dir),
    store: options.store,
    hashArchive: Boolean(shared),
    pool: options.pool,
    scheduler: options.scheduler,
    progress: options.progress,
  });
  await writeFileAtomic(inventoryFile, formatInventory(result.inventory));
  const kept = shared ? { descriptor: await keepBundle(result.written, options.store), shared: shared.key } : undefined;
  if (!since && !shared) await rm(descriptorBeside(plan.output), { force: true });
  return {
    ...result,
    output: plan.output,
    skipped: plan.skipped,
    cleared: since ? [] : await clearOtherBundles(plan.output),
    changes: previous ? changedTags(previous, result.inventory) : [],
    ...(kept ? { kept } : {}),
  };
}
