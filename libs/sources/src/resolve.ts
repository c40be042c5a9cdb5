import type { Component, TagPolicy } from '@dockyard/project-spec';
import { gitAccess } from './component-source';
import { listGitTags } from './git-tags';
import { resolveHelmChart } from './helm-repository';
import { LOCK_FILE_NAME, type LockedComponent, type LockFile } from './lock-file';
import { listRegistryTags, manifestDigest, openImageRepository } from './registry-tags';
import { issueFrom, type SourceIssue } from './source-error';
import { selectTag, tagSatisfies } from './tag-policy';
import semver from 'semver';

export interface ResolveInput {
  project: string;
  /** The folder holding project.yaml; relative paths in components are relative to it. */
  dir: string;
  components: Component[];
  /** The lock on disk. Its entries that still satisfy project.yaml are kept as reviewed, without asking the network. */
  previous?: LockFile;
  /** Look every component up again for the newest allowed version, as `make update-tag` did. */
  update?: boolean;
}

export interface ResolveResult {
  lock: LockFile;
  issues: SourceIssue[];
}

const DEFAULT_POLICY: TagPolicy = { policy: 'newest' };

/** An image's own `tag:` policy, else its `version:` as a semver range, else the newest tag. */
function imageTagPolicy(component: Component): TagPolicy {
  const version = component.image?.version;
  return component.tag ?? (version ? { policy: 'semver', range: version } : DEFAULT_POLICY);
}

/**
 * Turns every component's floating version into an exact one, like a package manager's lock: a locked
 * entry that still satisfies its component is kept (so a reviewed lock only moves on purpose), and only
 * new or changed components — or all of them with `update` — are looked up. Lookups run in parallel.
 */
export async function resolveComponents(input: ResolveInput): Promise<ResolveResult> {
  const results = await Promise.all(
    input.components.map(async (component, index) => {
      const locked = input.previous?.components[component.name];
      if (!input.update && locked && lockedEntrySatisfies(component, locked))
        return { name: component.name, entry: locked };
      try {
        return { name: component.name, entry: await resolveComponent(component, input.dir) };
      } catch (error) {
        const issue = issueFrom(error, component.name);
        return { name: component.name, issue: { ...issue, field: ['components', index, ...(issue.field ?? [])] } };
      }
    }),
  );
  const lock: LockFile = { project: input.project, components: {} };
  const issues: SourceIssue[] = [];
  for (const result of results) {
    if (result.issue) issues.push(result.issue);
    else if (result.entry) lock.components[result.name] = result.entry;
  }
  return { lock, issues };
}

async function resolveComponent(component: Component, dir: string): Promise<LockedComponent | undefined> {
  if (component.git) {
    const access = await gitAccess(component.git, dir);
    const tags = await listGitTags(access);
    const tag = selectTag([...tags.keys()], component.tag ?? DEFAULT_POLICY, component.git.url);
    return { git: component.git.url, tag, commit: tags.get(tag)! };
  }
  if (component.helm) {
    const { repo, chart, version } = component.helm;
    return { helm: repo, chart, ...(await resolveHelmChart(repo, chart, version)) };
  }
  if (component.image) {
    const repository = await openImageRepository(component.image, dir);
    const tag = selectTag(await listRegistryTags(repository), imageTagPolicy(component), component.image.repository);
    return {
      image: component.image.repository,
      tag,
      ...(component.image.pinDigest ? { digest: await manifestDigest(repository, tag) } : {}),
    };
  }
  return undefined;
}

/** Whether a locked entry still answers its component: same source, and a version the policy allows. */
function lockedEntrySatisfies(component: Component, locked: LockedComponent): boolean {
  if (component.git)
    return (
      'git' in locked && locked.git === component.git.url && tagSatisfies(locked.tag, component.tag ?? DEFAULT_POLICY)
    );
  if (component.helm) {
    const { repo, chart, version } = component.helm;
    return (
      'helm' in locked &&
      locked.helm === repo &&
      locked.chart === chart &&
      (!version || semver.satisfies(locked.version, version, { loose: true }))
    );
  }
  if (component.image) {
    return (
      'image' in locked &&
      locked.image === component.image.repository &&
      tagSatisfies(locked.tag, imageTagPolicy(component)) &&
      Boolean(locked.digest) === Boolean(component.image.pinDigest)
    );
  }
  return false;
}

export interface LockCheckInput {
  project: string;
  components: Component[];
  lock: LockFile | undefined;
}

/** What to do about a lock that no longer answers project.yaml, wherever that is found. */
export const RESOLVE_HINT = 'run `dockyard resolve` and commit the lock file';

/**
 * Why a lock no longer answers project.yaml, decided without the network: the one rule behind
 * `resolve --check` and `collect`, so collect never fetches what `resolve --check` refuses.
 * Empty when resolving would keep the lock as it is.
 */
export function staleLockIssues(input: LockCheckInput): SourceIssue[] {
  const lockable = input.components
    .map((component, index) => ({ component, index }))
    .filter(({ component }) => lockSource(component));
  if (!input.lock) {
    return lockable.length === 0
      ? []
      : [{ field: ['components'], message: `${LOCK_FILE_NAME} is missing`, hint: RESOLVE_HINT }];
  }
  const lock = input.lock;
  const issues: SourceIssue[] = [];
  if (lock.project !== input.project) {
    issues.push({
      field: ['name'],
      message: `${LOCK_FILE_NAME} was written for project ${JSON.stringify(lock.project)}`,
      hint: RESOLVE_HINT,
    });
  }
  for (const { component, index } of lockable) {
    const [kind] = lockSource(component)!;
    const field = ['components', index, kind];
    const entry = lock.components[component.name];
    if (!entry) {
      issues.push({
        component: component.name,
        field,
        message: `component ${component.name} is not in ${LOCK_FILE_NAME}`,
        hint: RESOLVE_HINT,
      });
    } else if (!sameSource(component, entry)) {
      issues.push({
        component: component.name,
        field,
        message: `the ${LOCK_FILE_NAME} entry for ${component.name} was resolved from a different source`,
        hint: RESOLVE_HINT,
      });
    } else if (!lockedEntrySatisfies(component, entry)) {
      issues.push({
        component: component.name,
        field,
        message: `the ${LOCK_FILE_NAME} entry for ${component.name} (${lockedVersion(entry)}) no longer satisfies ${describeConstraint(component)}`,
        hint: RESOLVE_HINT,
      });
    }
  }
  const listed = new Set(lockable.map(({ component }) => component.name));
  for (const name of Object.keys(lock.components).sort()) {
    if (!listed.has(name))
      issues.push({
        component: name,
        field: ['components'],
        message: `${LOCK_FILE_NAME} locks ${name}, which project.yaml no longer lists as a git, helm or image component`,
        hint: RESOLVE_HINT,
      });
  }
  return issues;
}

function lockSource(component: Component): [string, string] | undefined {
  if (component.local !== undefined) return undefined;
  if (component.git) return ['git', component.git.url];
  if (component.helm) return ['helm', component.helm.repo];
  if (component.image) return ['image', component.image.repository];
  return undefined;
}

function sameSource(component: Component, entry: LockedComponent): boolean {
  const [kind, location] = lockSource(component)!;
  if (!(kind in entry) || (entry as unknown as Record<string, string>)[kind] !== location) return false;
  return !(component.helm && 'chart' in entry && entry.chart !== component.helm.chart);
}

function lockedVersion(entry: LockedComponent): string {
  return 'helm' in entry ? `version ${entry.version}` : `tag ${entry.tag}`;
}

function describeConstraint(component: Component): string {
  if (component.helm) return `version "${component.helm.version}" in project.yaml`;
  const policy = component.git ? (component.tag ?? DEFAULT_POLICY) : imageTagPolicy(component);
  const digest = component.image ? `, ${component.image.pinDigest ? 'with' : 'without'} a pinned digest` : '';
  switch (policy.policy) {
    case 'pinned':
      return `the pinned tag ${policy.value}${digest} in project.yaml`;
    case 'semver':
      return `the semver range "${policy.range}"${digest} in project.yaml`;
    case 'regex':
      return `the tag pattern /${policy.pattern}/${digest} in project.yaml`;
    case 'newest':
      return `the newest-tag policy${digest} in project.yaml`;
  }
}
