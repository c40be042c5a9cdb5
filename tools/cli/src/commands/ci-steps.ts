import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  appendJobSummary,
  buildAnswer,
  buildRequest,
  keepInventories,
  mergeRunTimes,
  nxAffectedLister,
  nxCacheServer,
  planAffected,
  postIssueComment,
  projectTimesFromProfile,
  readRunTimes,
  releaseSummaries,
  s3CacheObjects,
  shardProjects,
  summaryMarkdown,
  workspaceProjects,
  writeRunTimes,
  type AffectedPlan,
  type BuildRequest,
} from '@dockyard/ci';
import { writeFileAtomic } from '@dockyard/files';
import { findWorkspaceRoot } from '@dockyard/project-spec';
import { UsageError, type ParsedArgs } from '../command';

type Values = ParsedArgs['values'];

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}

async function readJson<T>(file: string, what: string): Promise<T> {
  const text = await readFile(resolve(file), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--${what} ${file}: cannot read it (${err.code ?? err.message})`);
  });
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`, { cause: err });
  }
}

async function plan(values: Values): Promise<number> {
  const base = (values.base as string | undefined) ?? process.env.NX_BASE;
  const head = (values.head as string | undefined) ?? process.env.NX_HEAD ?? 'HEAD';
  if (!base) throw new UsageError('--base is required (or $NX_BASE, as nrwl/nx-set-shas sets it)');
  const targets = ((values.target as string[] | undefined) ?? []).flatMap((t) => t.split(',')).filter(Boolean);
  if (!targets.length) throw new UsageError('--target is required');
  const root = findWorkspaceRoot();
  const result = await planAffected(targets, base, head, nxAffectedLister(root));
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (values.out) await writeFileAtomic(resolve(values.out as string), json);
  else process.stdout.write(json);
  if (values.out) console.error(`${result.projects.length} affected project(s): ${values.out}`);
  return 0;
}

async function shard(values: Values): Promise<number> {
  const count = Number(required(values, 'shards'));
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--shards ${values.shards}: a whole number ≥ 1`);
  const planned = await readJson<AffectedPlan>(required(values, 'plan'), 'plan');
  const times = values.times ? await readRunTimes(resolve(values.times as string)) : new Map<string, number>();
  const shards = shardProjects(planned.projects ?? [], count, times);
  const include = shards.map((s) => ({ shard: s.index, projects: s.projects.join(','), seconds: s.seconds }));
  console.log(JSON.stringify({ include }));
  return 0;
}

async function times(values: Values): Promise<number> {
  const profileFile = required(values, 'profile');
  const timesFile = resolve(required(values, 'times'));
  const latest = projectTimesFromProfile(await readJson(profileFile, 'profile'), profileFile);
  await writeRunTimes(timesFile, mergeRunTimes(await readRunTimes(timesFile), latest));
  console.error(`${latest.size} project time(s) recorded in ${values.times}`);
  return 0;
}

async function comment(values: Values): Promise<number> {
  const event = await readJson<object>(required(values, 'event'), 'event');
  const root = findWorkspaceRoot();
  const request = await buildRequest(event, await workspaceProjects(root), root);
  if (values.out) await writeFileAtomic(resolve(values.out as string), `${JSON.stringify(request, null, 2)}\n`);
  console.log(`status=${request.status}`);
  if (request.status === 'accepted') {
    console.log(`project=${request.project}`);
    console.log(`targets=${request.targets.join(',')}`);
    // A version is built, checked and pushed alone: the workflow passes it to every target as --versions.
    if (request.version) console.log(`versions=${request.version}`);
  }
  console.error(
    request.status === 'accepted'
      ? `build ${request.project}${request.version ? ` ${request.version}` : ''}: ${request.targets.join(', ')}`
      : `${request.status}: ${request.reason}`,
  );
  return 0;
}

function githubAccess(): { api: string; token: string } {
  const token = process.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('$GITHUB_TOKEN is not set (give the step env: GITHUB_TOKEN: ${{ github.token }})');
  return { api: process.env.GITHUB_API_URL || 'https://api.github.com', token };
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = process.env;
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
}

async function answer(values: Values): Promise<number> {
  const request = await readJson<BuildRequest>(required(values, 'request'), 'request');
  if (request.status === 'ignored') return 0;
  const outcome = values.outcome as string | undefined;
  // A step's outcome as GitHub words it; a cancelled build is answered as not built.
  if (outcome !== undefined && !['success', 'failure', 'cancelled'].includes(outcome))
    throw new UsageError(`--outcome ${outcome}: success, failure or cancelled`);
  const log = values.log ? await readFile(resolve(values.log as string), 'utf8').catch(() => '') : '';
  const body = buildAnswer(
    request,
    outcome && request.status === 'accepted' ? { ok: outcome === 'success', log, runUrl: runUrl() } : undefined,
  );
  const posted = await postIssueComment(githubAccess(), request.repository, request.issue, body);
  console.error(`answered on ${posted.url}`);
  return 0;
}

async function summary(values: Values): Promise<number> {
  const planned = await readJson<AffectedPlan>(required(values, 'plan'), 'plan');
  const root = findWorkspaceRoot();
  const releases = await releaseSummaries({
    workspaceRoot: root,
    base: planned.base,
    head: planned.head,
    affected: planned.projects,
    projects: await workspaceProjects(root),
    ...(values['base-inventories'] ? { baseInventories: resolve(values['base-inventories'] as string) } : {}),
    ...(values['head-inventories'] ? { headInventories: resolve(values['head-inventories'] as string) } : {}),
  });
  const markdown = summaryMarkdown(releases, planned.base, planned.head);
  const out = (values.out as string | undefined) ?? process.env.GITHUB_STEP_SUMMARY;
  if (out) await appendJobSummary(resolve(out), markdown);
  else process.stdout.write(markdown);
  return 0;
}

async function keep(values: Values): Promise<number> {
  const root = findWorkspaceRoot();
  const kept = await keepInventories(root, await workspaceProjects(root), resolve(required(values, 'out')));
  console.error(`${kept.length} inventory(ies) kept in ${values.out}${kept.length ? `: ${kept.join(', ')}` : ''}`);
  return 0;
}

function tokensFrom(name: string): string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Runs until SIGINT or SIGTERM; logs one line per request (method, hash, status), never a token. */
async function cacheServer(values: Values): Promise<number> {
  const tokens = { read: tokensFrom('DOCKYARD_CACHE_READ_TOKENS'), write: tokensFrom('DOCKYARD_CACHE_WRITE_TOKENS') };
  if (!tokens.read.length && !tokens.write.length)
    throw new UsageError('set $DOCKYARD_CACHE_READ_TOKENS and/or $DOCKYARD_CACHE_WRITE_TOKENS (comma-separated)');
  const listen = (values.listen as string | undefined) ?? '127.0.0.1:8090';
  const match = /^(.+):(\d+)$/.exec(listen);
  if (!match) throw new UsageError(`--listen ${listen}: write HOST:PORT`);
  const objects = await s3CacheObjects(required(values, 'store'));
  const server = nxCacheServer(objects, tokens, (e) =>
    console.log(`${e.method} ${e.hash ?? '-'} ${e.status}${e.problem ? ` (${e.problem})` : ''}`),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(match[2]), match[1], resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : match[2];
  console.log(`Nx remote cache on http://${match[1]}:${port} (${objects.key})`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

const steps: Record<string, (values: Values) => Promise<number>> = {
  'cache-server': cacheServer,
  plan,
  shard,
  times,
  comment,
  answer,
  summary,
  'keep-inventories': keep,
};

export function runStep(step: string, values: Values): Promise<number> {
  return steps[step]!(values);
}
