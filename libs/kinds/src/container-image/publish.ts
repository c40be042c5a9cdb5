import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@dockyard/files';
import {
  ContentStore,
  copyImage,
  CopyScheduler,
  credentialProvider,
  CredentialsError,
  locationContext,
  openSource,
  openTarget,
  parseLocation,
  RegistryPool,
  resolveCredentials,
  type CopyResult,
  type CredentialsSpec,
} from '@dockyard/oci';
import type { InstalledPackage, SignedImage, SigningKey } from '@dockyard/attest';
import type { BuiltImage } from '@dockyard/container';
import { builtImagePackages, projectSigningKey, signPushed } from '../shared/signing';
import { PreflightError } from '../shared/preflight';
import { fieldLocation } from '../shared/field-location';
import { imagesToShip, readBuilt } from './built';
import type { ContainerProject } from './project';

/** One registry of `registries:` and what goes there. */
export interface PublishPlanEntry {
  registry: string;
  repository: string;
  /** Every tag of every built image, each a `docker://` reference. */
  references: string[];
}

export interface RegistryOutcome extends PublishPlanEntry {
  /** published: something was written; unchanged: every tag was already there; failed: see error. */
  status: 'published' | 'unchanged' | 'failed';
  results: CopyResult[];
  /** With a `sign:` section: each pushed image's digest, signed, its SBOM and provenance attached. */
  signed?: SignedImage[];
  error?: string;
}

export interface PublishOptions {
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  concurrency?: number;
  log?: (line: string) => void;
  /** Where the build's blobs are fetched from when a cache restored only its layout's small files. */
  store?: ContentStore;
}

export interface PublishResult {
  plan: PublishPlanEntry[];
  outcomes: RegistryOutcome[];
  /** Blobs and bytes moved over all registries. */
  stats: { bytes: number; blobsCopied: number; blobsSkipped: number; blobsMounted: number };
  report?: string;
}

/**
 * Every credential variable of every registry must be set before the first push, so a release never lands in
 * some registries and not others for want of one export. Names each missing variable with its project.yaml line.
 */
async function preflight(project: ContainerProject, env: NodeJS.ProcessEnv): Promise<void> {
  const problems: string[] = [];
  await Promise.all(
    project.spec.registries.map(async (entry, i) => {
      if (!entry.credentials) return;
      try {
        await resolveCredentials(entry.credentials as CredentialsSpec, entry.registry, resolve(project.dir), env);
      } catch (err) {
        if (!(err instanceof CredentialsError)) throw err;
        problems[i] = `${fieldLocation(project, ['registries', i, 'credentials'])}: ${err.message}; nothing was pushed`;
      }
    }),
  );
  if (problems.some(Boolean)) throw new PreflightError(problems.filter(Boolean));
}

/** Signs each built image once per registry, by its digest (every tag of it points there). */
async function signImages(
  entry: PublishPlanEntry,
  images: BuiltImage[],
  packagesOf: (image: BuiltImage) => Promise<InstalledPackage[]>,
  pool: RegistryPool,
  key: SigningKey,
  log: ((line: string) => void) | undefined,
): Promise<SignedImage[]> {
  const signed: SignedImage[] = [];
  for (const image of images) {
    const result = await signPushed(pool, { ...entry, digest: image.digest }, key, await packagesOf(image));
    log?.(`signed ${result.image} (sbom ${result.sbom.path}, signature ${result.signature.digest})`);
    signed.push(result);
  }
  return signed;
}

/**
 * Publishes the built images (of the versions the project lists), every tag, to every registry of the project at once: one shared scheduler (each blob
 * once per registry, HEAD-skipped when present, mounted across repositories of one registry), an unchanged tag
 * costing two HEADs. A registry that fails is reported and does not stop the others. With a `sign:` section the
 * key is read before any push, and each image pushed is signed by its digest, its SBOM (with the packages its own
 * databases list) and provenance attached as referrers.
 */
export async function publishProject(project: ContainerProject, options: PublishOptions = {}): Promise<PublishResult> {
  const { spec } = project;
  const env = options.env ?? process.env;
  const build = await readBuilt(project, options.dryRun ? undefined : (options.store ?? ContentStore.default()));
  const images = imagesToShip(project, build);
  const tags = images.flatMap((image) => image.tags);
  const plan = spec.registries.map((r) => ({
    registry: r.registry,
    repository: r.repository,
    references: tags.map((tag) => `docker://${r.registry}/${r.repository}:${tag}`),
  }));
  await preflight(project, env);
  const key = await projectSigningKey(project, env);
  const scheduler = new CopyScheduler({ concurrency: options.concurrency });
  if (options.dryRun) return { plan, outcomes: [], stats: scheduler.stats };

  const pool = new RegistryPool({
    insecure: project.registries.insecure,
    credentials: credentialProvider(project.registries.credentials, { baseDir: project.dir }),
    userAgent: 'dockyard',
  });
  const context = locationContext(pool);
  const packagesOf = (image: BuiltImage) =>
    (packageLists[image.digest] ??= builtImagePackages(
      openSource(parseLocation(`oci:${build.layout}:${image.tags[0]}`), context),
    ));
  const packageLists: Record<string, Promise<InstalledPackage[]>> = {};
  const imageOfTag = new Map(images.flatMap((image) => image.tags.map((tag) => [tag, image] as const)));
  const outcomes = await Promise.all(
    plan.map(async (entry): Promise<RegistryOutcome> => {
      const results: CopyResult[] = [];
      try {
        for (const tag of tags) {
          const source = openSource(parseLocation(`oci:${build.layout}:${tag}`), context);
          const target = openTarget(parseLocation(`docker://${entry.registry}/${entry.repository}:${tag}`), context);
          const result = await copyImage(scheduler, source, target);
          if (result.digest !== imageOfTag.get(tag)!.digest)
            throw new Error(`${target.name}: wrote ${result.digest}, the build made ${imageOfTag.get(tag)!.digest}`);
          options.log?.(`${result.status} ${target.name} ${result.digest}`);
          results.push(result);
        }
        const signed = key ? await signImages(entry, images, packagesOf, pool, key, options.log) : undefined;
        return {
          ...entry,
          status: results.every((r) => r.status === 'unchanged') ? 'unchanged' : 'published',
          results,
          ...(signed ? { signed } : {}),
        };
      } catch (err) {
        return { ...entry, status: 'failed', results, error: (err as Error).message };
      }
    }),
  );
  const report = join(project.outputs.publish, 'report.json');
  await writeFileAtomic(report, `${JSON.stringify({ outcomes, stats: scheduler.stats }, null, 2)}\n`);
  return { plan, outcomes, stats: scheduler.stats, report };
}
