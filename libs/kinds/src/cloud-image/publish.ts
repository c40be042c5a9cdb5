import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import { writeFileAtomic } from '@dockyard/files';
import { resolveObjectStore, type ResolvedObjectStore, type UploadResult } from '@dockyard/publish';
import {
  amiName,
  genericFiles,
  publishToAws,
  publishToObjectStore,
  type AwsPublishResult,
  type AwsTarget,
  type VmImageBuild,
} from '@dockyard/vm-image';
import { basename } from 'node:path';
import { builtImages } from './built';
import { stepDir, type CloudImageProject } from './project';

export interface PublishOptions {
  env?: NodeJS.ProcessEnv;
  /** Only say what would be done. */
  dryRun?: boolean;
  /** Between two polls of an AMI import. */
  pollMs?: number;
  log?: (line: string) => void;
}

type ResolvedTarget = { type: 'generic'; store: ResolvedObjectStore } | { type: 'aws'; aws: AwsTarget };

export type PublishOutcome =
  | { type: 'generic'; version: string; arch: string; url: string; uploads: UploadResult[] }
  | ({ type: 'aws'; version: string; arch: string; region: string } & AwsPublishResult);

export interface PublishResult {
  /** What was (or, with dryRun, would be) done, one line each. */
  plan: string[];
  outcomes: PublishOutcome[];
}

/** Every target with its credentials read from the environment variables project.yaml names, before any upload. */
export function resolveTargets(project: CloudImageProject, env: NodeJS.ProcessEnv): ResolvedTarget[] {
  return (project.spec.targets ?? []).map((target, i) => {
    const where = `${project.file}: targets[${i}]`;
    if (target.type === 'generic') {
      if (!target.upload)
        throw new DockyardError(`${where}: a generic target needs upload`, { code: 'TARGET_INCOMPLETE' });
      return { type: 'generic', store: resolveObjectStore(target.upload, env, where) };
    }
    if (!target.region || !target.credentials || (target.method === 'import' && !target.bucket))
      throw new DockyardError(
        `${where}: an aws target needs region and credentials (and a bucket with method: import)`,
        {
          code: 'TARGET_INCOMPLETE',
        },
      );
    const names = [target.credentials.accessKeyIdEnv, target.credentials.secretAccessKeyEnv];
    const missing = names.filter((name) => !env[name]);
    if (missing.length)
      throw new DockyardError(`${where}: environment variable ${missing.join(' and ')} not set (AWS credentials)`, {
        code: 'CREDENTIALS_MISSING',
        hint: 'export them',
      });
    return {
      type: 'aws',
      aws: {
        region: target.region,
        method: target.method ?? 'ebs-direct',
        bucket: target.bucket,
        credentials: { accessKeyId: env[names[0]!]!, secretAccessKey: env[names[1]!]! },
        ec2Endpoint: target.endpoints?.ec2,
        ebsEndpoint: target.endpoints?.ebs,
        s3Endpoint: target.endpoints?.s3,
      },
    };
  });
}

function planLine(project: CloudImageProject, build: VmImageBuild, target: ResolvedTarget): string {
  if (target.type === 'generic')
    return `upload ${genericFiles(build)
      .map((f) => basename(f))
      .join(', ')} to ${target.store.url}/${build.version}/${build.arch}/`;
  const how =
    target.aws.method === 'import'
      ? `through s3://${target.aws.bucket}/ and ImportSnapshot`
      : 'through the EBS direct APIs (non-zero blocks only)';
  return `make AMI ${amiName(project.spec.name, build)} in ${target.aws.region} ${how}, unless it exists`;
}

/** Publishes every built image to every target; the outcomes are recorded in dist/<name>/publish/publish.json. */
export async function publishProject(project: CloudImageProject, options: PublishOptions = {}): Promise<PublishResult> {
  const targets = resolveTargets(project, options.env ?? process.env);
  const builds = await builtImages(project);
  const plan = builds.flatMap((build) => targets.map((target) => planLine(project, build, target)));
  if (options.dryRun) return { plan, outcomes: [] };
  const outcomes: PublishOutcome[] = [];
  for (const build of builds)
    for (const target of targets) {
      const common = { version: build.version, arch: build.arch };
      if (target.type === 'generic')
        outcomes.push({
          type: 'generic',
          ...common,
          url: target.store.url,
          uploads: await publishToObjectStore(build, target.store),
        });
      else {
        const aws = { ...target.aws, pollMs: options.pollMs };
        const made = await publishToAws(project.spec.name, build, aws, (s) =>
          options.log?.(`${build.version} ${build.arch}: import ${s}`),
        );
        outcomes.push({ type: 'aws', ...common, region: aws.region, ...made });
      }
    }
  await writeFileAtomic(join(stepDir(project, 'publish'), 'publish.json'), `${JSON.stringify(outcomes, null, 2)}\n`);
  return { plan, outcomes };
}
