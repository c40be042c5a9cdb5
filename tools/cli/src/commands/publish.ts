import { access, stat } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import type { ResolvedObjectStore } from '@dockyard/publish';
import { formatBytes, formatRate, startProgressLines, type CredentialsSpec } from '@dockyard/oci';
import type { Plugin, Release } from '@dockyard/project-spec';
import { UsageError, withoutOption, withoutOptionHelp, type Command } from '../command';
import { onlyProject, projectFile } from '../project-arg';
import { positiveInt, registryOptions, registryOptionsHelp, registrySettings } from './copy';

const usage = `Usage: dockyard publish [PROJECT] [--dry-run] [--part-size MB] [--parallel N]

Uploads the bundle the bundle target wrote (dist/<project>/bundle/) to every publish.objectStore
(s3:// or oss://; a Plugin's package goes to <prefix>/compass-plugins-<name>/) and pushes it to
every publish.oci registry as an OCI artifact tagged with the project version. Credentials come
from the environment variables project.yaml names; a missing one stops the run before anything is
uploaded. An object with the same size and sha256 is left alone; large files are sent as a
multipart upload whose parts are checked (Content-MD5, x-amz-checksum-sha256, ETag) and which is
completed or aborted, never left half visible. Progress (bytes sent, rate) is one rewritten line on
a terminal and a plain line every few seconds otherwise.

  PROJECT         a Release, Plugin or ContainerImage: its project.yaml, its folder or its name
                  (default: the current folder); --project PROJECT is the same
  --dry-run       print what would be uploaded where, and every credential that is missing; contact nothing
  --part-size MB  multipart part size (default 16)
  --parallel N    parts in flight (default 4)
${withoutOptionHelp(registryOptionsHelp, 'platform')}`;

/** `12.0 MB of 54.0 MB sent (3.1 MB/s)`: what the destinations have accepted of the bundle, all together. */
function uploadProgress(total: number, sent: { bytes: number }): () => string {
  const started = Date.now();
  return () =>
    `${formatBytes(sent.bytes)} of ${formatBytes(total)} sent (${formatRate(sent.bytes, Date.now() - started)})`;
}

export const publishCommand: Command = {
  name: 'publish',
  usage,
  // A bundle is one file, not an image: there are no platforms to choose.
  options: {
    ...withoutOption(registryOptions, 'platform'),
    'dry-run': { type: 'boolean' },
    'part-size': { type: 'string' },
    parallel: { type: 'string' },
  },
  project: true,
  async run(args) {
    const { values } = args;
    const file = resolve(await projectFile(onlyProject(args) ?? '.'));
    // The SDK warns on every run that its 2027 releases will need Node 22; this workspace pins a release that supports Node 20.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { findWorkspaceRoot, formatIssue, loadProjectFile } = await import('@dockyard/project-spec');
    const project = await loadProjectFile(file, relative(process.cwd(), file) || file);
    if (!project.spec) {
      for (const issue of project.issues) console.error(formatIssue(issue));
      return 1;
    }
    const spec = project.spec;
    if (spec.kind === 'ContainerImage')
      return (await import('./container-publish.ts')).containerPublishCommand(project.file, values);
    // Loaded only for bundles: the S3 SDK alone is most of a container re-publish's start-up.
    const { bundleOutput } = await import('@dockyard/bundle');
    const { objectKey, pushBundleArtifact, resolvePublishTargets, s3Client, uploadFile } =
      await import('@dockyard/publish');
    if (spec.kind !== 'Release' && spec.kind !== 'Plugin')
      throw new UsageError(`${project.file}: a ${spec.kind} has nothing to publish`);
    const typed = spec as Release | Plugin;
    const bundle = bundleOutput(findWorkspaceRoot(project.dir), typed);
    const version = typed.kind === 'Plugin' ? typed.spec.version : typed.version;
    const dryRun = Boolean(values['dry-run']);
    try {
      if (
        !dryRun &&
        !(await access(bundle).then(
          () => true,
          () => false,
        ))
      )
        throw new Error(
          `${relative(process.cwd(), bundle)} is missing: run the bundle target first (nx run ${typed.name}:bundle)`,
        );
      const { stores, problems } = await resolvePublishTargets(typed.publish, process.env, project.file, project.dir);
      if (problems.length && !dryRun) {
        for (const problem of problems) console.error(`dockyard publish: ${problem}`);
        console.error('dockyard publish: nothing was uploaded; set what is missing above and run again');
        return 1;
      }
      for (const problem of problems) console.log(`warning: ${problem}`);
      const keyFor = (store: ResolvedObjectStore) =>
        typed.kind === 'Plugin'
          ? objectKey(store.location, `compass-plugins-${typed.name}`, basename(bundle))
          : objectKey(store.location, basename(bundle));
      const ociTargets = typed.publish?.oci ?? [];
      if (dryRun) {
        for (const store of stores)
          console.log(
            `${relative(process.cwd(), bundle)} -> ${store.location.scheme}://${store.location.bucket}/${keyFor(store)}${store.endpoint ? ` (${store.endpoint})` : ''}`,
          );
        for (const target of ociTargets)
          console.log(`${relative(process.cwd(), bundle)} -> oci ${target.repository}:${version}`);
        console.log(`dry run: ${stores.length + ociTargets.length} destination(s); nothing was uploaded`);
        return 0;
      }
      const partSize = (positiveInt(values['part-size'], 'part-size') ?? 16) << 20;
      const sent = { bytes: 0 };
      const onBytes = (count: number) => (sent.bytes += count);
      const stopProgress = startProgressLines(
        process.stdout,
        uploadProgress((await stat(bundle)).size * (stores.length + ociTargets.length), sent),
      );
      try {
        for (const store of stores) {
          const result = await uploadFile(s3Client(store), store.location.bucket, keyFor(store), bundle, {
            partSize,
            parallel: positiveInt(values.parallel, 'parallel'),
            onBytes,
          });
          const url = `${store.location.scheme}://${store.location.bucket}/${result.key}`;
          console.log(
            result.status === 'unchanged'
              ? `unchanged ${url} (same size and sha256 ${result.sha256})`
              : `uploaded ${url} (${result.size} bytes in ${result.parts} part(s)${result.partRetries ? `, ${result.partRetries} resent after a mismatch` : ''}, sha256 ${result.sha256})`,
          );
        }
        if (ociTargets.length) {
          const credentials: Record<string, CredentialsSpec> = {};
          for (const t of ociTargets) if (t.credentials) credentials[t.repository.split('/')[0]!] = t.credentials;
          const settings = registrySettings(values, {
            insecure: ociTargets.filter((t) => t.insecure).map((t) => t.repository.split('/')[0]!),
            credentials,
            baseDir: project.dir,
          });
          for (const target of ociTargets) {
            const host = target.repository.split('/')[0]!;
            const repository = target.repository.slice(host.length + 1);
            const pushed = await pushBundleArtifact(
              await settings.pool.connect(host),
              repository,
              version,
              bundle,
              typed.name,
              version,
              onBytes,
            );
            console.log(
              `pushed ${target.repository}:${version}@${pushed.digest}${pushed.uploaded ? '' : ' (bundle blob already there)'}`,
            );
          }
        }
      } finally {
        stopProgress();
      }
      return 0;
    } catch (err) {
      console.error(`dockyard publish: ${(err as Error).message}`);
      return 1;
    }
  },
};
