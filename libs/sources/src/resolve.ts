import type { Component, TagPolicy } from '../../spec/src/types';
import { gitAccess } from './component-source';
import { listGitTags } from './git-tags';
import { resolveHelmChart } from './helm-repository';
import type { LockedComponent, LockFile } from './lock-file';
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
      if (!input.update && locked && lockedEntrySatisfies(component, locked)) return { name: component.name, entry: locked };
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
    return { image: component.image.repository, tag, ...(component.image.pinDigest ? { digest: await manifestDigest(repository, tag) } : {}) };
  }
  return undefined;
}

/** Whether a locked entry still answers its component: same source, and a version the policy allows. */
export function lockedEntrySatisfies(component: Component, locked: LockedComponent): boolean {
  if (component.git) return 'git' in locked && locked.git === component.git.url && tagSatisfies(locked.tag, component.tag ?? DEFAULT_POLICY);
  if (component.helm) {
    const { repo, chart, version } = component.helm;
    return 'helm' in locked && locked.helm === repo && locked.chart === chart && (!version || semver.satisfies(locked.version, version, { loose: true }));
  }
  if (component.image) {
    return 'image' in locked && locked.image === component.image.repository && tagSatisfies(locked.tag, imageTagPolicy(component)) && Boolean(locked.digest) === Boolean(component.image.pinDigest);
  }
  return false;
}
