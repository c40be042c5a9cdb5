import type { PublishBundleFacts } from '@dockyard/kinds';
import type { ContainerProject } from '@dockyard/kinds/container-image';
import { ContentStore, formatBytes, formatRate, startProgressLines } from '@dockyard/oci';
import { isKind, type OpenedProject, type Plugin, type Release } from '@dockyard/project-spec';
import type { Command, ParsedArgs } from '../command';
import { optionList } from '../help';
import { onlyProject, projectArg } from '../project-arg';
import { positiveInt, registryHelp, registryOptions, registrySettings } from '../registry-options';
import { shown } from '../words';
import { versionsOption, withVersions } from '../versions-option';

const usage = `Usage: dockyard publish [PROJECT] [--versions V[,V...]] [--dry-run] [--part-size MB] [--parallel N]

Uploads the bundle the bundle target wrote (dist/<project>/bundle/) to every publish.objectStore
(s3:// or oss://; a Plugin's package goes to <prefix>/compass-plugins-<name>/) and pushes it to
every publish.oci registry as an OCI artifact tagged with the project version. Credentials come
from the environment variables project.yaml names; a missing one stops the run before anything is
uploaded. An object with the same size and sha256 is left alone; large files are sent as a
multipart upload whose parts are checked (Content-MD5, x-amz-checksum-sha256, ETag) and which is
completed or aborted, never left half visible. Progress (bytes sent, rate) is one rewritten line on
a terminal and a plain line every few seconds otherwise.

With a ContainerImage, publish pushes what \`dockyard build PROJECT\` built (every image under every
tag) to every registry of its registries: list at once. Every credential variable must be set before
anything is pushed. Each blob goes to a registry once, blobs it has are skipped (HEAD), an unchanged
tag costs two HEADs, and a registry that fails does not stop the others (it is reported, exit 1).
The report is written to dist/<name>/publish/report.json.

${optionList([
  [
    'PROJECT',
    'a Release, Plugin, ContainerImage or CloudImage: its project.yaml, its folder or its name (default: the current folder); --project PROJECT is the same',
  ],
  [
    '--versions V[,V...]',
    'with a ContainerImage or CloudImage: push only these of its versions (each must have been built); a Release or Plugin has one version and takes none',
  ],
  ['--dry-run', 'print what would be uploaded where, and every credential that is missing; contact nothing'],
  ['--part-size MB', 'multipart part size (default 16)'],
  ['--parallel N', 'parts in flight (default 4)'],
  ...registryHelp(['platform']),
])}`;

/** `12.0 MB of 54.0 MB sent (3.1 MB/s)`: what the destinations have accepted of the bundle, all together. */
function uploadProgress(total: number, sent: { bytes: number }): () => string {
  const started = Date.now();
  return () =>
    `${formatBytes(sent.bytes)} of ${formatBytes(total)} sent (${formatRate(sent.bytes, Date.now() - started)})`;
}

function printBundlePublish(facts: PublishBundleFacts, dryRun: boolean): void {
  const bundle = shown(facts.bundle);
  if (dryRun) {
    for (const problem of facts.problems) console.log(`warning: ${problem}`);
    for (const store of facts.objectStores)
      console.log(`${bundle} -> ${store.url}${store.endpoint ? ` (${store.endpoint})` : ''}`);
    for (const reference of facts.ociReferences) console.log(`${bundle} -> oci ${reference}`);
    console.log(
      `dry run: ${facts.objectStores.length + facts.ociReferences.length} destination(s); nothing was uploaded`,
    );
    return;
  }
  for (const upload of facts.uploads)
    console.log(
      upload.status === 'unchanged'
        ? `unchanged ${upload.url} (same size and sha256 ${upload.sha256})`
        : `uploaded ${upload.url} (${upload.size} bytes in ${upload.parts} part(s)${upload.partRetries ? `, ${upload.partRetries} resent after a mismatch` : ''}, sha256 ${upload.sha256})`,
    );
  for (const pushed of facts.pushes)
    console.log(`pushed ${pushed.reference}@${pushed.digest}${pushed.uploaded ? '' : ' (bundle blob already there)'}`);
}

async function publishContainer(project: ContainerProject, values: ParsedArgs['values']): Promise<number> {
  const dryRun = Boolean(values['dry-run']);
  const { publishProject } = await import('@dockyard/kinds/container-image');
  const result = await publishProject(project, {
    dryRun,
    concurrency: positiveInt(values.concurrency, 'concurrency'),
    log: (line) => console.error(line),
  });
  if (dryRun) {
    for (const entry of result.plan) for (const reference of entry.references) console.log(`would push ${reference}`);
    return 0;
  }
  for (const outcome of result.outcomes)
    console.log(
      `${outcome.status} ${outcome.registry}/${outcome.repository} (${outcome.results.length}/${outcome.references.length} tags)${outcome.error ? `: ${outcome.error}` : ''}`,
    );
  for (const signed of result.outcomes.flatMap((o) => o.signed ?? []))
    console.log(`signed ${signed.image}: sbom and signature attached (${signed.signature.path})`);
  const { bytes, blobsCopied, blobsSkipped, blobsMounted } = result.stats;
  console.log(
    `${blobsCopied} blobs copied (${bytes} bytes), ${blobsSkipped} present, ${blobsMounted} mounted; report ${result.report}`,
  );
  return result.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

export const publishCommand: Command = {
  name: 'publish',
  usage,
  // A bundle is one file, not an image: there are no platforms to choose.
  options: {
    ...registryOptions(['platform']),
    ...versionsOption,
    'dry-run': { type: 'boolean' },
    'part-size': { type: 'string' },
    parallel: { type: 'string' },
  },
  project: true,
  async run(args) {
    const { values } = args;
    const project = withVersions(
      await projectArg(onlyProject(args), ['Release', 'Plugin', 'ContainerImage', 'CloudImage']),
      values,
    );
    // Each kind's engine loads when a project of that kind is published: a ContainerImage's re-publish, two HEADs
    // per tag, would otherwise wait on the bundle, object-store and cloud-image modules to load.
    if (isKind(project, 'ContainerImage')) return publishContainer(project, values);
    if (isKind(project, 'CloudImage')) return (await import('./cloud-image.ts')).publishCloudImage(project, values);
    const release = await import('@dockyard/kinds/release');
    // The SDK warns on every run that its 2027 releases will need Node 22; this workspace pins a release that supports Node 20.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const dryRun = Boolean(values['dry-run']);
    const sent = { bytes: 0 };
    let stopProgress = () => {};
    let facts;
    try {
      facts = await release.publishProject(project as OpenedProject<Release | Plugin>, {
        dryRun,
        partSize: (positiveInt(values['part-size'], 'part-size') ?? 16) << 20,
        parallel: positiveInt(values.parallel, 'parallel'),
        pool: registrySettings(values, project).pool,
        store: ContentStore.default(),
        onStart: (total) => (stopProgress = startProgressLines(process.stdout, uploadProgress(total, sent))),
        onBytes: (count) => (sent.bytes += count),
      });
    } finally {
      stopProgress();
    }
    printBundlePublish(facts, dryRun);
    return 0;
  },
};
