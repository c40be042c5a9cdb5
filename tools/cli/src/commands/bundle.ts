import { access } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import {
  besideInventory,
  bundleDir,
  changedTags,
  clearOtherBundles,
  deltaBase,
  deltaOutput,
  heldBlobs,
  makeBundle,
  MissingImagesError,
  planPluginBundle,
  planReleaseBundle,
  pluginBundleFile,
  pushBundle,
  readInventory,
  verifyBundle,
  formatInventory,
  type BundlePlan,
  type Inventory,
  type ShippedApp,
} from '@dockyard/bundle';
import { PathEscapeError, sourceDateEpoch, writeFileAtomic } from '@dockyard/files';
import { ContentStore, CopyScheduler, parseReference, startProgress, type CredentialsSpec } from '@dockyard/oci';
import type { LoadedProject, ProjectSpec, RegistryEndpoint } from '@dockyard/project-spec';
import { namedFolder } from '../named-folder';
import { UsageError, type Command, type ParsedArgs } from '../command';
import { registryOptions, registryOptionsHelp, registrySettings } from './copy';

const usage = `Usage: dockyard bundle [PROJECT] [--since INVENTORY] [options]
       dockyard bundle verify FILE
       dockyard bundle push FILE --to HOST[/PREFIX] [--require-signature --key PUB] [options]
       dockyard bundle pull HOST/REPO:TAG [--out DIR] [options]

Writes a Release's offline installer or a Plugin's package into dist/<project>/bundle/, byte for
byte the same for the same project, lock and image digests (sorted entries, mtime from
SOURCE_DATE_EPOCH or the project's last commit, root-owned, deterministic compression chosen by
the file name: .tar, .tar.gz, .tar.zst). Blobs come through the shared content store
($DOCKYARD_STORE or ~/.cache/dockyard/store): a re-bundle downloads nothing it already has, and a
killed run resumes. inventory.json (every image, digest, platform, blob) is written inside the
bundle and beside it; tags whose digest changed since the previous inventory are listed. Bundles
of other versions left in that folder are removed, so it holds the current bundle only.

  PROJECT              a Release or Plugin project.yaml or its folder (default: the current folder)
  --since INVENTORY    a delta: leave out every blob this inventory (a previous bundle's, or
                       \`dockyard inventory docker://HOST\` of the install site) says the far side has;
                       written as <bundle>-delta-from-<that bundle, or sha256-DIGEST>, with its own
                       <delta>.inventory.json, beside the full bundle (never over it)
  --store DIR          the content store (default: $DOCKYARD_STORE or ~/.cache/dockyard/store)

  verify FILE          re-hash every file and blob of a bundle; name what is corrupt or missing
                       and the images it breaks (exit 1)
  push FILE --to HOST[/PREFIX]
                       push every image of a registry-dir or oci payload into HOST (under PREFIX, as
                       sync places them; or into oci:DIR / registry-dir:DIR), reading the archive in
                       place: unchanged tags are skipped, each blob goes up once, other repositories
                       mount it; a delta's left-out blobs must already be there;
                       --require-signature --key PUB: push nothing unless FILE.sigstore.json
                       verifies with the public key PUB (as dockyard verify checks it)
  pull REF [--out DIR] download a bundle published as an OCI artifact (dockyard publish), digest
                       checked, into DIR (default: the current folder)
${registryOptionsHelp}`;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

interface LoadedSpec {
  file: string;
  dir: string;
  root: string;
  spec: ProjectSpec;
  source: LoadedProject['source'];
}

async function loadProject(path: string): Promise<LoadedSpec> {
  const { findWorkspaceRoot, formatIssue, loadProjectFile } = await import('@dockyard/project-spec');
  const file = path.endsWith('.yaml') ? resolve(path) : resolve(path, 'project.yaml');
  if (!(await exists(file)))
    throw new UsageError(`${file}: no project.yaml there; name a Release or Plugin project folder`);
  const project = await loadProjectFile(file, relative(process.cwd(), file) || file);
  if (!project.spec)
    throw new UsageError(`${project.file} is not valid:\n${project.issues.map(formatIssue).join('\n')}`);
  return {
    file: project.file,
    dir: project.dir,
    root: findWorkspaceRoot(project.dir),
    spec: project.spec,
    source: project.source,
  };
}

/** The workspace's valid projects of one kind, by name (read only when a Release ships something). */
async function projectsOfKind<K extends ProjectSpec['kind']>(
  root: string,
  kind: K,
): Promise<Map<string, Extract<ProjectSpec, { kind: K }>>> {
  const { findProjectFiles, loadProjectFile } = await import('@dockyard/project-spec');
  const found = new Map<string, Extract<ProjectSpec, { kind: K }>>();
  for (const file of await findProjectFiles(root)) {
    const loaded = await loadProjectFile(resolve(root, file));
    if (loaded.spec?.kind === kind) found.set(loaded.spec.name, loaded.spec as Extract<ProjectSpec, { kind: K }>);
  }
  return found;
}

/** Bundles of the plugins a Release ships, which their own bundle targets wrote first. */
async function shippedPlugins(root: string, names: string[]): Promise<{ name: string; file: string }[]> {
  if (!names.length) return [];
  const found: { name: string; file: string }[] = [];
  const plugins = await projectsOfKind(root, 'Plugin');
  for (const name of names) {
    const plugin = plugins.get(name);
    if (!plugin)
      throw new UsageError(`ships.plugins names ${name}, which is not a valid Plugin project in the workspace`);
    const file = join(bundleDir(root, name), pluginBundleFile(plugin));
    if (!(await exists(file)))
      throw new UsageError(
        `${relative(process.cwd(), file)} is missing: bundle the plugin first (nx run ${name}:bundle, or dockyard bundle on its folder)`,
      );
    found.push({ name, file });
  }
  return found;
}

/** The AppImages a Release ships, whose build targets wrote every version to dist/<app>/<version>/ first. */
async function shippedApps(root: string, names: string[]): Promise<ShippedApp[]> {
  if (!names.length) return [];
  const apps = await projectsOfKind(root, 'AppImage');
  const found: ShippedApp[] = [];
  for (const [index, name] of names.entries()) {
    const app = apps.get(name);
    if (!app) throw new Error(`ships.appImages names ${name}, which is not a valid AppImage project in the workspace`);
    for (const version of app.versions) {
      const built = join(root, 'dist', name, version, 'index.json');
      if (!(await exists(built)))
        throw new Error(
          `${relative(process.cwd(), built)} is missing: build ${name} first (nx run ${name}:build, or dockyard build --project on its folder)`,
        );
    }
    found.push({ name, index, repository: app.repository, versions: app.versions });
  }
  return found;
}

/** A path the plan refused, pointed at in project.yaml (validate refuses most first; a URL's file name is only known here). */
function pointedAt(err: unknown, project: LoadedSpec): unknown {
  if (!(err instanceof PathEscapeError)) return err;
  const { line, column } = project.source?.position([...err.field]) ?? { line: 1, column: 1 };
  return new Error(`${project.file}:${line}:${column}: ${err.message}`);
}

export function endpointsOf(spec: ProjectSpec): RegistryEndpoint[] {
  if (spec.kind !== 'Release' && spec.kind !== 'Plugin') return [];
  return spec.sync ? [spec.sync.from, ...spec.sync.to] : [];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function make(values: ParsedArgs['values'], path: string): Promise<number> {
  const project = await loadProject(path);
  const { spec } = project;
  let plan: BundlePlan;
  const files = { name: spec.name, dir: project.dir, file: project.file, workspaceRoot: project.root };
  try {
    if (spec.kind === 'Release')
      plan = await planReleaseBundle(
        files,
        spec,
        await shippedPlugins(project.root, spec.ships?.plugins ?? []),
        await shippedApps(project.root, spec.ships?.appImages ?? []),
      );
    else if (spec.kind === 'Plugin') plan = await planPluginBundle(files, spec);
    else throw new UsageError(`${project.file}: a ${spec.kind} has no bundle (Release and Plugin projects do)`);
  } catch (err) {
    throw pointedAt(err, project);
  }
  if (plan.skipped)
    console.log(
      `skipped ${plural(plan.skipped.images, 'image')}: ${plan.skipped.registry} is a documentation-only host (RFC 2606) that never resolves, so the bundle carries no images from it; point bundle.images.from (or the image references) at a real registry`,
    );
  const since = values.since ? await readInventory(resolve(values.since as string)) : undefined;
  if (since) {
    const held = heldBlobs(since);
    for (const payload of plan.payloads) if (payload.format !== 'docker-archive') payload.omit = held;
    plan.output = deltaOutput(plan.output, deltaBase(since));
  }
  const credentials: Record<string, CredentialsSpec> = {};
  const endpoints = endpointsOf(spec);
  for (const e of endpoints) if (e.credentials) credentials[e.registry] = e.credentials;
  const settings = registrySettings(values, {
    insecure: endpoints.filter((e) => e.insecure).map((e) => e.registry),
    credentials,
    baseDir: project.dir,
  });
  const store = values.store
    ? new ContentStore(await namedFolder('store', resolve(values.store as string)))
    : ContentStore.default();
  const inventoryFile = besideInventory(plan.output, since !== undefined);
  const previous: Inventory | undefined =
    since ?? ((await exists(inventoryFile)) ? await readInventory(inventoryFile).catch(() => undefined) : undefined);
  if (settings.platforms) for (const payload of plan.payloads) payload.platforms = settings.platforms;
  const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
  const progress = { imagesTotal: 0, imagesDone: 0, archiveBytes: 0 };
  const started = Date.now();
  const stopProgress = startProgress(process.stdout, () => ({
    imagesDone: progress.imagesDone,
    imagesTotal: progress.imagesTotal,
    stats: scheduler.stats,
    elapsedMs: Date.now() - started,
  }));
  let result;
  try {
    result = await makeBundle({
      ...plan,
      mtime: await sourceDateEpoch(project.dir),
      store,
      pool: settings.pool,
      scheduler,
      progress,
    });
  } catch (err) {
    if (!(err instanceof MissingImagesError)) throw err;
    const sync = `nx run ${spec.name}:sync, or dockyard sync --project ${relative(process.cwd(), project.file) || project.file}`;
    throw new Error(
      err.missing
        .map(
          (m) =>
            `${m.image} is missing from ${m.registry}, the registry the bundle reads it from; sync fills it (${sync})`,
        )
        .join('\n'),
    );
  } finally {
    stopProgress();
  }
  await writeFileAtomic(inventoryFile, formatInventory(result.inventory));
  const cleared = since ? [] : await clearOtherBundles(plan.output);
  if (cleared.length)
    console.log(
      `removed ${cleared.join(', ')} from ${relative(process.cwd(), dirname(plan.output)) || '.'}: bundles of other versions`,
    );
  const { totals } = result.inventory;
  const where = relative(process.cwd(), plan.output) || plan.output;
  for (const left of result.leftOut)
    console.log(
      `left out ${left.platforms.join(', ')} of ${left.image} in ${left.payload} (kept ${left.kept.join(', ')})`,
    );
  console.log(`bundled ${where} (${result.written.size} bytes)`);
  const omitted = result.inventory.omittedBlobs?.length ?? 0;
  const present = totals.uniqueBlobs - omitted - result.transfer.blobsCopied;
  console.log(
    `${plural(totals.images, 'image')}, ${plural(totals.uniqueBlobs, 'unique blob')} (${totals.uniqueBlobBytes} bytes${omitted ? `, ${omitted} left out as the far side has them` : ''}); downloaded ${plural(result.transfer.blobsCopied, 'blob')} (${result.transfer.bytes} bytes), ${present} already in the store`,
  );
  for (const change of previous ? changedTags(previous, result.inventory) : [])
    console.log(`changed ${change.name}: ${change.from} -> ${change.to}`);
  return 0;
}

async function verify(file: string): Promise<number> {
  const report = await verifyBundle(resolve(file));
  for (const f of report.missingFiles) console.error(`missing file ${f} (listed in sha256sums.txt)`);
  for (const f of report.corruptFiles)
    console.error(`corrupt file ${f.path}: sha256 ${f.actual}, expected ${f.expected}`);
  for (const f of report.unlistedFiles) console.error(`unlisted file ${f}: not in sha256sums.txt`);
  for (const b of report.corruptBlobs)
    console.error(
      `corrupt blob ${b.digest} in ${b.payload} (content hashes to ${b.actual}); breaks ${b.images.join(', ') || 'no listed image'}`,
    );
  for (const b of report.missingBlobs)
    console.error(`missing blob ${b.digest} in ${b.payload}; breaks ${b.images.join(', ')}`);
  const summary = `${plural(report.filesChecked, 'file')} and ${plural(report.blobsChecked, 'blob')} checked`;
  if (!report.ok) {
    console.error(`${file}: NOT OK (${summary})`);
    return 1;
  }
  console.log(`${file}: OK (${summary}, ${plural(report.inventory?.images.length ?? 0, 'image')})`);
  return 0;
}

async function push(values: ParsedArgs['values'], file: string): Promise<number> {
  const to = values.to as string | undefined;
  if (!to) throw new UsageError(`bundle push needs --to HOST[/PREFIX]\n\n${usage}`);
  if (values['require-signature']) {
    const { described, verifyFileSignature } = await import('./verify.ts');
    try {
      const verified = await verifyFileSignature(file, values.key as string | undefined);
      console.log(`${file}: signature OK (key ${verified.keyId.slice(0, 16)})`);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      console.error(`dockyard bundle: ${described(err)}\nnothing was pushed`);
      return 1;
    }
  } else if (values.key) throw new UsageError('--key is the public key --require-signature checks with; give both');
  const settings = registrySettings(values);
  const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
  let done = 0;
  const started = Date.now();
  const stopProgress = startProgress(process.stdout, () => ({
    imagesDone: done,
    imagesTotal: total,
    stats: scheduler.stats,
    elapsedMs: Date.now() - started,
  }));
  let total = 0;
  let results;
  try {
    results = await pushBundle(resolve(file), to, {
      pool: settings.pool,
      scheduler,
      onImages: (n) => (total = n),
      onImageDone: () => done++,
    });
  } finally {
    stopProgress();
  }
  for (const result of results)
    console.log(`${result.status === 'copied' ? 'pushed' : 'unchanged'} ${result.target} ${result.digest}`);
  const { blobsCopied, bytes, blobsSkipped, blobsMounted } = scheduler.stats;
  console.log(
    `${plural(results.length, 'image')}: ${blobsCopied} blobs uploaded (${bytes} bytes), ${blobsSkipped} already there, ${blobsMounted} mounted`,
  );
  return 0;
}

async function pull(values: ParsedArgs['values'], ref: string): Promise<number> {
  const parsed = parseReference(ref.replace(/^docker:\/\//, ''));
  const settings = registrySettings(values);
  // Loaded here: libs/publish pulls in the AWS SDK, a second of start-up every other bundle verb would pay.
  const { pullBundleArtifact } = await import('@dockyard/publish');
  const pulled = await pullBundleArtifact(
    await settings.pool.connect(parsed.registry),
    parsed.repository,
    parsed.digest ?? parsed.tag ?? 'latest',
    values.out ? await namedFolder('out', resolve(values.out as string)) : resolve('.'),
  );
  console.log(`pulled ${relative(process.cwd(), pulled.file) || pulled.file} from ${ref} (${pulled.digest})`);
  return 0;
}

export const bundleCommand: Command = {
  name: 'bundle',
  usage,
  options: {
    ...registryOptions,
    since: { type: 'string' },
    store: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    'require-signature': { type: 'boolean' },
    key: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [first, second, ...rest] = positionals;
    try {
      if (first === 'verify' || first === 'push' || first === 'pull') {
        if (!second || rest.length)
          throw new UsageError(`bundle ${first} takes one ${first === 'pull' ? 'REF' : 'bundle FILE'}\n\n${usage}`);
        if (first === 'pull') return await pull(values, second);
        return first === 'verify' ? await verify(second) : await push(values, second);
      }
      if (positionals.length > 1) throw new UsageError(`one project at a time\n\n${usage}`);
      return await make(values, first ?? '.');
    } catch (err) {
      if (err instanceof UsageError) throw err;
      console.error(`dockyard bundle: ${(err as Error).message}`);
      return 1;
    }
  },
};
