import type { Component, TagPolicy } from '../../spec/src/types';
import { gitAccess } from './component-source';
import { listGitTags } from './git-tags';
import { resolveHelmChart } from './helm-repository';
import { formatLockFile, type LockedComponent, type LockFile } from './lock-file';
import { loadRegistryCredentials } from './registry-credentials';
import { listRegistryTags, manifestDigest, parseRepository } from './registry-tags';
import { issueFrom, type SourceIssue } from './source-error';
import { selectTag } from './tag-policy';

export interface ResolveInput {
  project: string;
  /** The folder holding project.yaml; relative paths in components are relative to it. */
  dir: string;
  components: Component[];
}

export interface ResolveResult {
  lock: LockFile;
  issues: SourceIssue[];
}

const DEFAULT_POLICY: TagPolicy = { policy: 'newest' };

/** Turns every component's floating version into an exact one. Components resolve in parallel. */
export async function resolveComponents(input: ResolveInput): Promise<ResolveResult> {
  const results = await Promise.all(
    input.components.map(async (component, index) => {
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
    const { registry, repository } = parseRepository(component.image.repository);
    const credentials = await loadRegistryCredentials(component.image.credentials, registry, dir);
    const target = { registry, repository, insecure: component.image.insecure, credentials };
    const policy: TagPolicy = component.tag ?? (component.image.version ? { policy: 'semver', range: component.image.version } : DEFAULT_POLICY);
    const tag = selectTag(await listRegistryTags(target), policy, component.image.repository);
    return { image: component.image.repository, tag, ...(component.image.pinDigest ? { digest: await manifestDigest(target, tag) } : {}) };
  }
  return undefined;
}

/** True when the lock on disk differs from a fresh resolve (CI's `resolve --check`). */
export function lockIsStale(current: string | undefined, fresh: LockFile): boolean {
  return current !== formatLockFile(fresh);
}
