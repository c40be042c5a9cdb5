import { DockyardError } from '@dockyard/errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { execFile } from 'node:child_process';
import { gt, valid } from 'semver';
import { fieldPath, type SpecIssue } from './errors';
import type { LoadedProject } from './load';
import { projectClaims } from './claims';
import type { AppImage, Kind, Plugin, ProjectSpec } from './types';

/** Rules that need more than one file: names, references, plugin clashes, version bumps, app folders. */
export interface WorkspaceRuleOptions {
  root: string;
  /** Git ref the plugin versions must increase against (as in CI); none skips the check. */
  baseRef?: string;
}

type Valid = LoadedProject & { spec: ProjectSpec };

function issueAt(project: LoadedProject, path: (string | number)[], message: string, hint?: string): SpecIssue {
  const pos = project.source?.position(path) ?? { line: 1, column: 1 };
  return { file: project.file, line: pos.line, column: pos.column, field: fieldPath(path), message, hint };
}

/** Every holder of a clash is told who else holds it, so validating any one of the files shows the clash. */
function clashes(projects: readonly LoadedProject[]): SpecIssue[] {
  const claims = projects.map(projectClaims);
  const holders = new Map<string, Set<LoadedProject>>();
  projects.forEach((p, i) => claims[i]!.forEach((c) => holders.set(c.key, (holders.get(c.key) ?? new Set()).add(p))));
  return projects.flatMap((p, i) =>
    claims[i]!.flatMap((c) => {
      const others = [...holders.get(c.key)!].filter((o) => o !== p);
      return others.length
        ? [issueAt(p, c.path, `${c.subject} is also used by ${others.map(c.holder).join(', ')}`, c.hint)]
        : [];
    }),
  );
}

/** Every project counts as a target, broken ones too: a Plugin with a problem of its own is not missing. */
function references(projects: readonly LoadedProject[]): SpecIssue[] {
  const kindOf = new Map<string, Kind | undefined>(projects.map((p) => [p.name, p.kind]));
  const issues: SpecIssue[] = [];
  for (const p of projects) {
    if (p.spec?.kind !== 'Release') continue;
    const wanted: [string, Kind][] = [
      ['plugins', 'Plugin'],
      ['appImages', 'AppImage'],
    ];
    for (const [field, kind] of wanted) {
      (p.spec.ships?.[field as 'plugins'] ?? []).forEach((ref, i) => {
        const found = kindOf.get(ref);
        if (!kindOf.has(ref))
          issues.push(issueAt(p, ['ships', field, i], `no project named "${ref}"`, `name an existing ${kind} project`));
        else if (found && found !== kind)
          issues.push(issueAt(p, ['ships', field, i], `"${ref}" is a ${found}, not a ${kind}`));
      });
    }
  }
  return issues;
}

/** A git command's exit code and stdout. Plain child_process: execa's load time would tax every CLI start. */
function git(root: string, args: string[]): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      resolve({ exitCode: error ? Number((error as { code?: unknown }).code) || 1 : 0, stdout }),
    );
  });
}

/**
 * The base ref of the version rule names nothing git can compare against: an error of the run, not of a file.
 * Front-ends branch on it to name where the ref came from (a flag, an environment variable) before `reason`.
 */
export class BaseRefError extends DockyardError {
  constructor(
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`base ref "${ref}": ${reason}`, {
      code: 'BASE_REF',
      hint: 'name a branch, tag or commit of the repository; in a shallow CI clone, fetch it first',
    });
  }
}

/** The commit `baseRef` names in the repository holding `root`; a BaseRefError when there is none. */
async function verifyBaseRef(root: string, baseRef: string): Promise<void> {
  if ((await git(root, ['rev-parse', '--git-dir'])).exitCode !== 0)
    throw new BaseRefError(baseRef, `${root} is not in a git repository`);
  const known =
    !baseRef.startsWith('-') &&
    (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${baseRef}^{commit}`])).exitCode === 0;
  if (!known) throw new BaseRefError(baseRef, 'git knows no commit of that name here');
}

/**
 * Plugins whose file differs from the base ref (working copy included) must raise spec.version. One
 * `git diff` finds the changed ones; only those are read at the base.
 */
async function versionBumps(projects: readonly Valid[], root: string, baseRef: string): Promise<SpecIssue[]> {
  await verifyBaseRef(root, baseRef);
  const plugins = projects.filter((p): p is Valid & { spec: Plugin } => p.spec.kind === 'Plugin');
  if (plugins.length === 0) return [];
  const diff = await git(root, ['diff', '--name-only', baseRef, '--', ...plugins.map((p) => p.file)]);
  if (diff.exitCode !== 0) throw new BaseRefError(baseRef, `git diff against it failed in ${root}`);
  const changed = new Set(diff.stdout.split('\n').filter(Boolean));
  const issues: SpecIssue[] = [];
  for (const p of plugins.filter((p) => changed.has(p.file))) {
    const shown = await git(root, ['show', `${baseRef}:${p.file}`]);
    if (shown.exitCode !== 0) continue; // new plugin: nothing to compare against
    const before = (parse(shown.stdout) as { spec?: { version?: string } } | null)?.spec?.version;
    const now = p.spec.spec.version;
    if (before && valid(before) && !gt(now, before)) {
      issues.push(
        issueAt(
          p,
          ['spec', 'version'],
          `version ${now} does not increase on ${before} at ${baseRef}`,
          `raise spec.version above ${before}`,
        ),
      );
    }
  }
  return issues;
}

function appImageFolders(projects: readonly Valid[], root: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const p of projects) {
    if (p.spec.kind !== 'AppImage') continue;
    const app = p.spec as AppImage;
    const projectDir = join(root, p.file, '..');
    app.versions.forEach((version, i) => {
      if (existsSync(join(projectDir, version))) return;
      if (app.latestFallback === false)
        issues.push(
          issueAt(
            p,
            ['versions', i],
            `no folder ${version}/ for this version`,
            `create ${version}/ or set latestFallback: true`,
          ),
        );
      else if (!existsSync(join(projectDir, 'latest')))
        issues.push(
          issueAt(
            p,
            ['versions', i],
            `no folder ${version}/ and no latest/ to fall back to`,
            `create ${version}/ or latest/ with init.sh, Kubefile and entrypoint.sh`,
          ),
        );
    });
  }
  return issues;
}

export async function workspaceRules(
  projects: readonly LoadedProject[],
  options: WorkspaceRuleOptions,
): Promise<SpecIssue[]> {
  const valid = projects.filter((p): p is Valid => p.spec !== undefined);
  return [
    ...clashes(projects),
    ...references(projects),
    ...appImageFolders(valid, options.root),
    ...(options.baseRef ? await versionBumps(valid, options.root, options.baseRef) : []),
  ];
}
