import { resolve } from 'node:path';
import { descriptorBeside, MissingImagesError, pushBundle, verifyBundle } from '@dockyard/bundle';
import type { BundleFacts } from '@dockyard/kinds';
import * as plugin from '@dockyard/kinds/plugin';
import * as release from '@dockyard/kinds/release';
import { ContentStore, CopyScheduler, parseReference, startProgress } from '@dockyard/oci';
import { isKind, type OpenedProject } from '@dockyard/project-spec';
import { pullBundleArtifact } from '@dockyard/publish/oci-artifact';
import { UsageError, type Command, type ParsedArgs } from '../command';
import { optionList } from '../help';
import { namedFolder } from '../named-folder';
import { onlyProject, projectArg } from '../project-arg';
import { registryHelp, registryOptions, registrySettings } from '../registry-options';
import { described, verifyFileSignature } from './verify';
import { plural, shown } from '../words';

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

${optionList([
  [
    'PROJECT',
    'a Release or Plugin: its project.yaml, its folder or its name (default: the current folder); --project PROJECT is the same',
  ],
  [
    '--since INVENTORY',
    "a delta: leave out every blob this inventory (a previous bundle's, or `dockyard inventory docker://HOST` of the install site) says the far side has; written as <bundle>-delta-from-<that bundle, or sha256-DIGEST>, with its own <delta>.inventory.json, beside the full bundle (never over it)",
  ],
  [
    '--store DIR',
    'the local content store (default: $DOCKYARD_STORE or ~/.cache/dockyard/store); a shared tier $DOCKYARD_STORE names stays behind it',
  ],
  [
    'verify FILE',
    're-hash every file and blob of a bundle; name what is corrupt or missing and the images it breaks (exit 1)',
  ],
  [
    'push FILE --to HOST[/PREFIX]',
    "push every image of a registry-dir or oci payload into HOST (under PREFIX, as sync places them; or into oci:DIR / registry-dir:DIR), reading the archive in place: unchanged tags are skipped, each blob goes up once, other repositories mount it; a delta's left-out blobs must already be there",
  ],
  [
    '--require-signature --key PUB',
    'with push: push nothing unless FILE.sigstore.json verifies with the public key PUB (as dockyard verify checks it)',
  ],
  [
    'pull REF [--out DIR]',
    'download a bundle published as an OCI artifact (dockyard publish), digest checked, into DIR (default: the current folder)',
  ],
  ...registryHelp(),
])}`;

function printBundle(facts: BundleFacts): void {
  if (facts.skipped)
    console.log(
      `skipped ${plural(facts.skipped.images, 'image')}: ${facts.skipped.registry} is a documentation-only host (RFC 2606) that never resolves, so the bundle carries no images from it; point bundle.images.from (or the image references) at a real registry`,
    );
  if (facts.cleared.length)
    console.log(
      `removed ${facts.cleared.join(', ')} from ${shown(resolve(facts.output, '..'))}: bundles of other versions`,
    );
  for (const left of facts.leftOut)
    console.log(
      `left out ${left.platforms.join(', ')} of ${left.image} in ${left.payload} (kept ${left.kept.join(', ')})`,
    );
  console.log(`bundled ${shown(facts.output)} (${facts.written.size} bytes)`);
  if (facts.kept)
    console.log(
      `kept it as ${facts.kept.descriptor.digest} in the content store and ${facts.kept.shared}; ${shown(descriptorBeside(facts.output))} describes it`,
    );
  const { totals, omittedBlobs } = facts.inventory;
  const omitted = omittedBlobs?.length ?? 0;
  const present = totals.uniqueBlobs - omitted - facts.transfer.blobsCopied;
  console.log(
    `${plural(totals.images, 'image')}, ${plural(totals.uniqueBlobs, 'unique blob')} (${totals.uniqueBlobBytes} bytes${omitted ? `, ${omitted} left out as the far side has them` : ''}); downloaded ${plural(facts.transfer.blobsCopied, 'blob')} (${facts.transfer.bytes} bytes), ${present} already in the store`,
  );
  for (const change of facts.changes) console.log(`changed ${change.name}: ${change.from} -> ${change.to}`);
}

/** The images a bundle reads and its registry lacks: sync puts them there, and that is the CLI's to say. */
function missingImages(err: MissingImagesError, project: OpenedProject): Error {
  const sync = `nx run ${project.spec.name}:sync, or dockyard sync ${project.file}`;
  return new Error(
    err.missing
      .map(
        (m) =>
          `${m.image} is missing from ${m.registry}, the registry the bundle reads it from; sync fills it (${sync})`,
      )
      .join('\n'),
    { cause: err },
  );
}

async function make(values: ParsedArgs['values'], given: string | undefined): Promise<number> {
  const project = await projectArg(given, ['Release', 'Plugin']);
  const settings = registrySettings(values, project);
  const store = values.store
    ? ContentStore.at(await namedFolder('store', resolve(values.store as string)))
    : ContentStore.default();
  const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
  const progress = { imagesTotal: 0, imagesDone: 0, archiveBytes: 0 };
  const started = Date.now();
  const stopProgress = startProgress(process.stdout, () => ({
    ...progress,
    stats: scheduler.stats,
    elapsedMs: Date.now() - started,
  }));
  const options = {
    since: values.since ? resolve(values.since as string) : undefined,
    store,
    pool: settings.pool,
    scheduler,
    platforms: settings.platforms,
    progress,
  };
  try {
    printBundle(
      isKind(project, 'Release')
        ? await release.bundleProject(project, options)
        : await plugin.bundleProject(project as plugin.PluginProject, options),
    );
    return 0;
  } catch (err) {
    throw err instanceof MissingImagesError ? missingImages(err, project) : err;
  } finally {
    stopProgress();
  }
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
  const progress = { done: 0, total: 0 };
  const started = Date.now();
  const stopProgress = startProgress(process.stdout, () => ({
    imagesDone: progress.done,
    imagesTotal: progress.total,
    stats: scheduler.stats,
    elapsedMs: Date.now() - started,
  }));
  const results = await pushBundle(resolve(file), to, {
    pool: settings.pool,
    scheduler,
    onImages: (n) => (progress.total = n),
    onImageDone: () => progress.done++,
  }).finally(stopProgress);
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
  const pulled = await pullBundleArtifact(
    await settings.pool.connect(parsed.registry),
    parsed.repository,
    parsed.digest ?? parsed.tag ?? 'latest',
    values.out ? await namedFolder('out', resolve(values.out as string)) : resolve('.'),
  );
  console.log(`pulled ${shown(pulled.file)} from ${ref} (${pulled.digest})`);
  return 0;
}

export const bundleCommand: Command = {
  name: 'bundle',
  usage,
  options: {
    ...registryOptions(),
    since: { type: 'string' },
    store: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    'require-signature': { type: 'boolean' },
    key: { type: 'string' },
  },
  project: true,
  async run(args) {
    const { values, positionals } = args;
    const [first, second, ...rest] = positionals;
    if (first === 'verify' || first === 'push' || first === 'pull') {
      if (!second || rest.length)
        throw new UsageError(`bundle ${first} takes one ${first === 'pull' ? 'REF' : 'bundle FILE'}\n\n${usage}`);
      if (first === 'pull') return pull(values, second);
      return first === 'verify' ? verify(second) : push(values, second);
    }
    return make(values, onlyProject(args));
  },
};
