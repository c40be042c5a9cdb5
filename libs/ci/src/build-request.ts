import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectSpec } from '@dockyard/project-spec';
import type { WorkspaceProject } from './workspace-projects';

/** GitHub's author_association values of people who may start builds: the repository's owner, members, collaborators. */
export const MEMBER_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'] as const;

/** The fields of an `issue_comment` event this reads (the JSON file at GITHUB_EVENT_PATH). */
export interface IssueCommentEvent {
  action?: string;
  comment?: { body?: string; author_association?: string; user?: { login?: string }; html_url?: string };
  issue?: { number?: number; pull_request?: unknown };
  repository?: { full_name?: string };
}

/** `/build <project> [<version>]` as written on the comment's first line. */
export interface BuildCommand {
  project: string;
  version?: string;
}

export type BuildRequest =
  /** Not a build command at all (most comments): nothing to do, nothing to answer. */
  | { status: 'ignored'; reason: string }
  /** A build command that will not run; `reason` is the answer to post. */
  | { status: 'refused'; reason: string; issue: number; repository: string; author: string }
  | {
      status: 'accepted';
      issue: number;
      repository: string;
      author: string;
      project: string;
      kind: string;
      root: string;
      /** The version asked for, if any: one the project.yaml of an AppImage or ContainerImage lists. */
      version?: string;
      /** For an AppImage version: the folder it is built from, `<version>/` or `latest/`. */
      folder?: string;
      /** The project's Nx targets that make and push it, in order. */
      targets: string[];
    };

const COMMAND = /^\/build(?:\s+(.*))?$/;

/**
 * The build command on the comment's first non-empty line; undefined when the comment is not one; `usage`
 * naming the mistake for `/build` with the wrong number of words.
 */
export function parseBuildCommand(body: string): BuildCommand | undefined | { usage: string } {
  const first =
    body
      .split(/\r?\n/)
      .find((line) => line.trim())
      ?.trim() ?? '';
  const match = COMMAND.exec(first);
  if (!match) return undefined;
  const words = (match[1] ?? '').split(/\s+/).filter(Boolean);
  if (words.length < 1 || words.length > 2)
    return { usage: `\`${first}\`: write \`/build <project> [<version>]\`, one project and at most one version` };
  return { project: words[0]!, ...(words[1] ? { version: words[1] } : {}) };
}

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** The targets that make a project of this kind and push it where project.yaml says; undefined when none does. */
function buildTargets(spec: ProjectSpec): string[] | undefined {
  switch (spec.kind) {
    case 'AppImage':
      return ['build', 'publish'];
    case 'ContainerImage':
      return ['build', 'check', 'publish'];
    case 'Release':
    case 'Plugin':
      return spec.publish ? ['bundle', 'publish'] : ['bundle'];
    case 'CloudImage':
      return undefined;
  }
}

/**
 * What a comment asks for, decided like sealos' cluster-image workflow: only the repository's members start
 * builds; an AppImage version is built from its own folder when there is one, else from `latest/`. Unlike
 * sealos, the version must be one project.yaml lists, because a build ships only the images the lock pins.
 */
export async function buildRequest(
  event: IssueCommentEvent,
  projects: ReadonlyMap<string, WorkspaceProject>,
  workspaceRoot: string,
): Promise<BuildRequest> {
  if (event.action && event.action !== 'created')
    return { status: 'ignored', reason: `the comment was ${event.action}, not created` };
  const parsed = parseBuildCommand(event.comment?.body ?? '');
  if (!parsed) return { status: 'ignored', reason: 'the comment does not start with /build' };
  const issue = event.issue?.number ?? 0;
  const repository = event.repository?.full_name ?? '';
  const author = event.comment?.user?.login ?? 'unknown';
  const refuse = (reason: string): BuildRequest => ({ status: 'refused', reason, issue, repository, author });
  const association = event.comment?.author_association ?? 'NONE';
  if (!(MEMBER_ASSOCIATIONS as readonly string[]).includes(association))
    return refuse(
      `@${author} is not a member of ${repository || 'this repository'} (${association}); builds are started by its owner, members and collaborators`,
    );
  if ('usage' in parsed) return refuse(parsed.usage);
  const project =
    projects.get(parsed.project) ??
    [...projects.values()].find((p) => p.root === parsed.project.replace(/\/+(project\.yaml)?$/, ''));
  if (!project) return refuse(`no project named ${parsed.project} in this workspace`);
  if (!project.spec) return refuse(`${project.file} does not validate; fix it before building ${project.name}`);
  const targets = buildTargets(project.spec);
  if (!targets) return refuse(`${project.name} is a ${project.spec.kind}; nothing builds that kind on request yet`);
  const accepted = { status: 'accepted' as const, issue, repository, author, project: project.name };
  const common = { kind: project.spec.kind, root: project.root, targets };
  if (!parsed.version) return { ...accepted, ...common };
  const spec = project.spec;
  // A Release or Plugin has one version of its own (its `version:`) and is built at it.
  if (spec.kind === 'Release' || spec.kind === 'Plugin')
    return refuse(
      `${project.name} is a ${spec.kind}: it has one version, ${spec.kind === 'Release' ? spec.version : spec.spec.version} (${project.file}'s version), and takes none; write \`/build ${project.name}\``,
    );
  const versions = spec.versions ?? [];
  if (!versions.length)
    return refuse(
      `${project.name} lists no versions in ${project.file}; write \`/build ${project.name}\` to build every image it declares`,
    );
  if (!versions.includes(parsed.version))
    return refuse(
      `${project.name} ${parsed.version} is not a version ${project.file} lists (${versions.join(', ')}); add it there and resolve its lock in a pull request first`,
    );
  if (project.spec.kind !== 'AppImage') return { ...accepted, ...common, version: parsed.version };
  const own = `${parsed.version}/`;
  if (await isDir(join(workspaceRoot, project.root, parsed.version)))
    return { ...accepted, ...common, version: parsed.version, folder: own };
  if (project.spec.latestFallback !== false && (await isDir(join(workspaceRoot, project.root, 'latest'))))
    return { ...accepted, ...common, version: parsed.version, folder: 'latest/' };
  return refuse(
    `${project.name} ${parsed.version}: neither ${project.root}/${own} nor ${project.root}/latest/ exists${project.spec.latestFallback === false ? ' (latestFallback is false)' : ''}`,
  );
}
