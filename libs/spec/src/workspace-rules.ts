import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { execFile } from 'node:child_process';
import { gt, valid } from 'semver';
import { fieldPath, type SpecIssue } from './errors';
import type { LoadedProject } from './load';
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

function duplicateNames(projects: readonly LoadedProject[]): SpecIssue[] {
  const byName = new Map<string, LoadedProject[]>();
  for (const p of projects) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  return [...byName.values()]
    .filter((group) => group.length > 1)
    .flatMap((group) =>
      group.map((p) =>
        issueAt(p, ['name'], `project name "${p.name}" is also used by ${group.filter((o) => o !== p).map((o) => o.file).join(', ')}`, 'project names must be unique in the workspace: rename one'),
      ),
    );
}

function references(projects: readonly Valid[]): SpecIssue[] {
  const kindOf = new Map<string, Kind | undefined>(projects.map((p) => [p.name, p.kind]));
  const issues: SpecIssue[] = [];
  for (const p of projects) {
    if (p.spec.kind !== 'Release') continue;
    const wanted: [string, Kind][] = [['plugins', 'Plugin'], ['appImages', 'AppImage']];
    for (const [field, kind] of wanted) {
      (p.spec.ships?.[field as 'plugins'] ?? []).forEach((ref, i) => {
        if (!kindOf.has(ref)) issues.push(issueAt(p, ['ships', field, i], `no project named "${ref}"`, `name an existing ${kind} project`));
        else if (kindOf.get(ref) !== kind) issues.push(issueAt(p, ['ships', field, i], `"${ref}" is a ${kindOf.get(ref)}, not a ${kind}`));
      });
    }
  }
  return issues;
}

function pluginClashes(projects: readonly Valid[]): SpecIssue[] {
  const plugins = projects.filter((p): p is Valid & { spec: Plugin } => p.spec.kind === 'Plugin');
  const issues: SpecIssue[] = [];
  const ports = new Map<number, Valid>();
  const slots = new Map<string, Valid>();
  for (const p of plugins) {
    const port = p.spec.spec.service.port;
    const owner = ports.get(port);
    if (owner) issues.push(issueAt(p, ['spec', 'service', 'port'], `port ${port} is also used by plugin "${owner.name}" (${owner.file})`, 'pick a free port'));
    else ports.set(port, p);
    (p.spec.spec.modules ?? []).forEach((m, mi) =>
      (m.slots ?? []).forEach((slot, si) => {
        const slotOwner = slots.get(slot);
        if (slotOwner && slotOwner !== p) issues.push(issueAt(p, ['spec', 'modules', mi, 'slots', si], `slot "${slot}" is also used by plugin "${slotOwner.name}" (${slotOwner.file})`, 'use a slot no other plugin takes'));
        else slots.set(slot, p);
      }),
    );
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
 * Plugins whose file differs from the base ref (working copy included) must raise spec.version. One
 * `git diff` finds the changed ones; only those are read at the base.
 */
async function versionBumps(projects: readonly Valid[], root: string, baseRef: string): Promise<SpecIssue[]> {
  const plugins = projects.filter((p): p is Valid & { spec: Plugin } => p.spec.kind === 'Plugin');
  if (plugins.length === 0) return [];
  const diff = await git(root, ['diff', '--name-only', baseRef, '--', ...plugins.map((p) => p.file)]);
  const changed = new Set(diff.stdout.split('\n').filter(Boolean));
  const issues: SpecIssue[] = [];
  for (const p of plugins.filter((p) => changed.has(p.file))) {
    const shown = await git(root, ['show', `${baseRef}:${p.file}`]);
    if (shown.exitCode !== 0) continue; // new plugin: nothing to compare against
    const before = (parse(shown.stdout) as { spec?: { version?: string } } | null)?.spec?.version;
    const now = p.spec.spec.version;
    if (before && valid(before) && !gt(now, before)) {
      issues.push(issueAt(p, ['spec', 'version'], `version ${now} does not increase on ${before} at ${baseRef}`, `raise spec.version above ${before}`));
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
      if (app.latestFallback === false) issues.push(issueAt(p, ['versions', i], `no folder ${version}/ for this version`, `create ${version}/ or set latestFallback: true`));
      else if (!existsSync(join(projectDir, 'latest'))) issues.push(issueAt(p, ['versions', i], `no folder ${version}/ and no latest/ to fall back to`, `create ${version}/ or latest/ with init.sh, Kubefile and entrypoint.sh`));
    });
  }
  return issues;
}

export async function workspaceRules(projects: readonly LoadedProject[], options: WorkspaceRuleOptions): Promise<SpecIssue[]> {
  const valid = projects.filter((p): p is Valid => p.spec !== undefined);
  return [
    ...duplicateNames(projects),
    ...references(valid),
    ...pluginClashes(valid),
    ...appImageFolders(valid, options.root),
    ...(options.baseRef ? await versionBumps(valid, options.root, options.baseRef) : []),
  ];
}
