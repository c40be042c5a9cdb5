import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@dockyard/files';
import {
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
import { readBuildResult } from '@dockyard/container';
import { PreflightError } from '../shared/preflight';
import { fieldLocation } from '../shared/field-location';
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
  error?: string;
}

export interface PublishOptions {
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  concurrency?: number;
  log?: (line: string) => void;
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

/**
 * Publishes the built images, every tag, to every registry of the project at once: one shared scheduler (each blob
 * once per registry, HEAD-skipped when present, mounted across repositories of one registry), an unchanged tag
 * costing two HEADs. A registry that fails is reported and does not stop the others.
 */
export async function publishProject(project: ContainerProject, options: PublishOptions = {}): Promise<PublishResult> {
  const { spec } = project;
  const env = options.env ?? process.env;
  const build = await readBuildResult(project.outputs.build, project.spec.name);
  const tags = build.images.flatMap((image) => image.tags);
  const plan = spec.registries.map((r) => ({
    registry: r.registry,
    repository: r.repository,
    references: tags.map((tag) => `docker://${r.registry}/${r.repository}:${tag}`),
  }));
  await preflight(project, env);
  const scheduler = new CopyScheduler({ concurrency: options.concurrency });
  if (options.dryRun) return { plan, outcomes: [], stats: scheduler.stats };

  const pool = new RegistryPool({
    insecure: project.registries.insecure,
    credentials: credentialProvider(project.registries.credentials, { baseDir: project.dir }),
    userAgent: 'dockyard',
  });
  const context = locationContext(pool);
  const imageOfTag = new Map(build.images.flatMap((image) => image.tags.map((tag) => [tag, image] as const)));
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
        return {
          ...entry,
          status: results.every((r) => r.status === 'unchanged') ? 'unchanged' : 'published',
          results,
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
