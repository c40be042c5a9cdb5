import { access, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { bundleOutput, describedBundle } from '@dockyard/bundle';
import { repositoryHost, type OpenedProject, type Plugin, type Release } from '@dockyard/project-spec';
import type { ContentStore, RegistryPool } from '@dockyard/oci';
import {
  objectKey,
  pushBundleArtifact,
  resolvePublishTargets,
  s3Client,
  uploadFile,
  type ResolvedObjectStore,
  type UploadResult,
} from '@dockyard/publish';
import { MissingOutputError } from './missing-output';
import { PreflightError } from './preflight';

export interface PublishBundleOptions {
  /** Plan only: resolve credentials (missing ones become `problems`), contact nothing. */
  dryRun?: boolean;
  /** Multipart part size in bytes. */
  partSize?: number;
  /** Parts in flight. */
  parallel?: number;
  pool: RegistryPool;
  /** Where a bundle Nx restored only by its descriptor is fetched from. */
  store: ContentStore;
  env?: NodeJS.ProcessEnv;
  /** Bytes accepted by any destination, as they are sent. */
  onBytes?: (count: number) => void;
  /** Called once the destinations are known, before anything is sent: the bytes all of them will take. */
  onStart?: (totalBytes: number) => void;
}

export interface PublishBundleFacts {
  bundle: string;
  version: string;
  /** Object store URLs (`s3://bucket/key`, endpoint) and OCI references the bundle goes to. */
  objectStores: { url: string; endpoint?: string }[];
  ociReferences: string[];
  /** With dryRun: credentials that are missing. */
  problems: string[];
  uploads: (UploadResult & { url: string })[];
  pushes: { reference: string; digest: string; uploaded: boolean }[];
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Uploads a Release's or Plugin's bundle to every publish.objectStore and pushes it to every publish.oci registry as
 * an OCI artifact tagged with the version. Every credential is resolved first: a missing one stops the run
 * (PreflightError) before anything is sent.
 */
export async function publishBundle(
  project: OpenedProject<Release | Plugin>,
  options: PublishBundleOptions,
): Promise<PublishBundleFacts> {
  const { spec } = project;
  const output = bundleOutput(project.workspaceRoot, spec);
  const bundle = options.dryRun ? output : await describedBundle(output, options.store);
  const version = spec.kind === 'Plugin' ? spec.spec.version : spec.version;
  if (!options.dryRun && !(await exists(bundle))) throw new MissingOutputError(bundle, spec.name, 'bundle');
  const { stores, problems } = await resolvePublishTargets(
    spec.publish,
    options.env ?? process.env,
    project.file,
    project.dir,
  );
  if (problems.length && !options.dryRun) throw new PreflightError(problems);
  const keyFor = (store: ResolvedObjectStore) =>
    spec.kind === 'Plugin'
      ? objectKey(store.location, `compass-plugins-${spec.name}`, basename(bundle))
      : objectKey(store.location, basename(bundle));
  const urlOf = (store: ResolvedObjectStore, key: string) =>
    `${store.location.scheme}://${store.location.bucket}/${key}`;
  const ociTargets = spec.publish?.oci ?? [];
  const facts: PublishBundleFacts = {
    bundle,
    version,
    objectStores: stores.map((store) => ({ url: urlOf(store, keyFor(store)), endpoint: store.endpoint })),
    ociReferences: ociTargets.map((target) => `${target.repository}:${version}`),
    problems,
    uploads: [],
    pushes: [],
  };
  if (options.dryRun) return facts;
  options.onStart?.((await stat(bundle)).size * (stores.length + ociTargets.length));
  for (const store of stores) {
    const result = await uploadFile(s3Client(store), store.location.bucket, keyFor(store), bundle, {
      partSize: options.partSize,
      parallel: options.parallel,
      onBytes: options.onBytes,
    });
    facts.uploads.push({ ...result, url: urlOf(store, result.key) });
  }
  for (const target of ociTargets) {
    const host = repositoryHost(target.repository);
    const repository = target.repository.startsWith(`${host}/`)
      ? target.repository.slice(host.length + 1)
      : target.repository;
    const pushed = await pushBundleArtifact(
      await options.pool.connect(host),
      repository,
      version,
      bundle,
      spec.name,
      version,
      options.onBytes,
    );
    facts.pushes.push({
      reference: `${target.repository}:${version}`,
      digest: pushed.digest,
      uploaded: pushed.uploaded,
    });
  }
  return facts;
}
