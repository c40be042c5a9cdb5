import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { checkedPath, confinedPath, PathEscapeError, swapDirectory, tempPathFor } from '@dockyard/files';
import { PATH_RULES, type Component } from '@dockyard/project-spec';
import { gitAccess } from './component-source';
import { withGitPaths } from './git-fetch';
import { downloadHelmChart } from './helm-repository';
import type { LockedComponent, LockFile } from './lock-file';
import { substitutePlaceholders, type PlaceholderValue } from './placeholders';
import { redactUrl } from './redact-url';
import { staleLockIssues } from './resolve';
import { issueFrom, SourceError, type SourceIssue } from './source-error';

export interface CollectInput {
  project: string;
  dir: string;
  components: Component[];
  placeholders?: Record<string, string>;
  lock: LockFile | undefined;
  /** Usually `dist/<project>/collect`; replaced as a whole only when everything succeeded. */
  outDir: string;
}

export interface CollectResult {
  /** Collected files, relative to outDir, sorted. */
  files: string[];
  issues: SourceIssue[];
}

interface Placed {
  origin: string;
}

/**
 * Fetches exactly the locked content of every component into `outDir/<targetPath>/`,
 * substituting placeholders. Two files for one path, an unknown placeholder, a lock that
 * `resolve --check` would refuse: all are reported, and the previous output is left untouched.
 */
export async function collectComponents(input: CollectInput): Promise<CollectResult> {
  const issues = staleLockIssues(input);
  if (issues.length > 0) return { files: [], issues };
  const staging = tempPathFor(input.outDir);
  const placed = new Map<string, Placed>();
  try {
    for (const [index, component] of input.components.entries()) {
      const place = (target: string, content: Buffer, origin: string) =>
        placeFile(input, component, staging, placed, issues, target, content, origin);
      try {
        await collectComponent(input, component, place);
      } catch (error) {
        const issue =
          error instanceof PathEscapeError
            ? {
                component: component.name,
                field: [...error.field],
                message: `"${error.value}" ${error.reason}`,
                hint: error.advice,
              }
            : issueFrom(error, component.name);
        issues.push({ ...issue, field: ['components', index, ...(issue.field ?? [])] });
      }
    }
    if (issues.length > 0) return { files: [], issues };
    await mkdir(staging, { recursive: true });
    await mkdir(dirname(input.outDir), { recursive: true });
    await swapDirectory(staging, input.outDir);
    return { files: [...placed.keys()].sort(), issues };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

type Place = (target: string, content: Buffer, origin: string) => Promise<void>;

async function collectComponent(input: CollectInput, component: Component, place: Place): Promise<void> {
  const target = component.targetPath ?? '';
  const locked = input.lock?.components[component.name];
  if (component.git && component.paths && component.paths.length > 0) {
    const entry = locked as Extract<LockedComponent, { git: string }>;
    const paths = component.paths.map((path, i) => checkedPath(path, ['paths', i], PATH_RULES.checkoutPath));
    const access = await gitAccess(component.git, input.dir);
    await withGitPaths({ access, tag: entry.tag, commit: entry.commit, paths }, async (checkout) => {
      for (const path of paths) {
        const from = join(checkout, path);
        for (const file of await filesUnder(from)) {
          const inside = file === '' ? basename(path) : posix.join(basename(path), file);
          await place(
            posix.join(target, inside),
            await readFile(file === '' ? from : join(from, file)),
            `${component.name}@${entry.tag}:${posix.join(path, file)}`,
          );
        }
      }
    });
  } else if (component.local !== undefined) {
    const from = confinedPath(input.dir, component.local, ['local'], PATH_RULES.projectFile);
    const info = await stat(from).catch(() => undefined);
    if (!info)
      throw new SourceError(
        `local folder ${component.local} does not exist`,
        'create it or fix local (relative to the project folder)',
        ['local'],
      );
    for (const file of await filesUnder(from)) {
      const inside = file === '' ? basename(from) : file;
      await place(
        posix.join(target, inside),
        await readFile(file === '' ? from : join(from, file)),
        `${component.name}:${posix.join(component.local, file)}`,
      );
    }
  } else if (component.helm) {
    const entry = locked as Extract<LockedComponent, { helm: string }>;
    const archive = await downloadHelmChart(entry);
    const file = checkedPath(`${entry.chart}-${entry.version}.tgz`, ['helm', 'chart'], PATH_RULES.chart);
    await place(posix.join(target, file), archive, `${component.name}:${redactUrl(entry.url)}`);
  }
}

/** Files below `path` relative to it (posix), or `['']` when `path` is itself a file. */
async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [''];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push(relative(path, full).split(sep).join('/'));
    }
  };
  await walk(path);
  return out.sort();
}

async function placeFile(
  input: CollectInput,
  component: Component,
  staging: string,
  placed: Map<string, Placed>,
  issues: SourceIssue[],
  target: string,
  content: Buffer,
  origin: string,
): Promise<void> {
  const destination = confinedPath(staging, target, ['targetPath'], PATH_RULES.collectPath);
  const existing = placed.get(target);
  if (existing) {
    issues.push({
      component: component.name,
      file: target,
      message: `two files land on collect/${target}: ${existing.origin} and ${origin}`,
      hint: 'give one of the components a different targetPath, or drop one of the paths',
    });
    return;
  }
  placed.set(target, { origin });
  let output = content;
  if (isText(target, content)) {
    const result = substitutePlaceholders(content.toString('utf8'), (name, argument) =>
      lookupPlaceholder(input, component, name, argument),
    );
    for (const issue of result.issues) {
      issues.push({
        component: component.name,
        file: target,
        line: issue.line,
        message: `${issue.placeholder} (from ${origin}): ${issue.message}`,
        hint: issue.hint,
      });
    }
    output = Buffer.from(result.text, 'utf8');
  }
  await mkdir(dirname(destination), { recursive: true });
  await writeFile(destination, output);
}

function isText(path: string, content: Buffer): boolean {
  return !/\.(tgz|gz|tar|zip|xz|zst|png|jpe?g|gif|ico)$/i.test(path) && !content.subarray(0, 8000).includes(0);
}

function lookupPlaceholder(
  input: CollectInput,
  component: Component,
  name: string,
  argument: string | undefined,
): PlaceholderValue {
  const settings = input.placeholders ?? {};
  if (argument === undefined && Object.hasOwn(settings, name)) return { value: settings[name] };
  if (name === 'imageTagFromGitTag' && argument === undefined) {
    const tag = lockedTag(input.lock?.components[component.name]);
    return tag !== undefined
      ? { value: tag }
      : {
          error: `component ${component.name} has no locked tag (it is a local folder)`,
          hint: `use [[ TagOfRepo(<component>) ]] or set placeholders.imageTagFromGitTag in project.yaml`,
        };
  }
  if (name === 'TagOfRepo' && argument !== undefined) {
    const named =
      input.components.find((c) => c.name === argument) ??
      input.components.find((c) => c.git && basename(c.git.url).replace(/\.git$/, '') === argument);
    const tag = named ? lockedTag(input.lock?.components[named.name]) : undefined;
    return tag !== undefined
      ? { value: tag }
      : {
          error: `no component named ${argument} with a locked tag`,
          hint: `add a component named ${argument} with a git or image source to project.yaml and run \`dockyard resolve\``,
        };
  }
  const known = ['imageTagFromGitTag', 'TagOfRepo(<component>)', ...Object.keys(settings)].join(', ');
  return {
    error: `unknown placeholder`,
    hint: `define ${name} under placeholders: in project.yaml, or use one of: ${known}`,
  };
}

function lockedTag(entry: LockedComponent | undefined): string | undefined {
  if (!entry) return undefined;
  return 'helm' in entry ? entry.version : entry.tag;
}
