import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import type { VerbOptions } from '../executors/verb/executor';
import type { Kind } from '@dockyard/project-spec';
import { outputPaths, type OutputPaths } from '@dockyard/project-spec/output-paths';

/** What target inference knows of one project.yaml: its spec when valid, only name and kind when broken. */
export interface ProjectFacts {
  name: string;
  root: string;
  kind?: Kind;
  /** Parsed and valid spec; absent when the file has problems (only `validate` is inferred then). */
  spec?: import('@dockyard/project-spec').ProjectSpec;
}

/** Targets run the CLI, so Nx and a person at a shell take the same path through the engines. */
export const CLI = 'node tools/cli/bin/dockyard.cjs';

/**
 * `dockyard VERB PROJECT FLAGS...` run by the CLI's own code in Nx's worker, so that a run's tasks of one verb share
 * a process (executors/verb); used by the per-project steps that hundreds of projects run at once.
 */
export function verbTask(verb: VerbOptions['verb'], project: ProjectFacts, flags?: string[]) {
  return {
    executor: './tools/nx-plugin:verb',
    options: { verb, project: project.root, ...(flags ? { flags } : {}) } satisfies VerbOptions,
  };
}

/** The executor of cached verb tasks is code they run, as the CLI is. */
export const VERB_INPUTS = ['{workspaceRoot}/tools/nx-plugin/src/executors/verb/**/*'];

/**
 * The code every target runs: the CLI and all engines, with the npm packages they load. Engines import
 * each other (discover uses oci's references, sources uses oci's client), so naming them one by one
 * would go stale; tests are left out since they never run in a target.
 */
const ENGINE_FILES = [
  '{workspaceRoot}/tools/cli/**/*.ts',
  '{workspaceRoot}/libs/**/*',
  '!{workspaceRoot}/**/*.test.ts',
  { externalDependencies: runtimeDependencies() },
];

/**
 * Each project defines the engine's files once, as a named input its targets name: spelled out in every target,
 * they were a third of the project graph Nx builds, merges and writes on every run (bench/graph).
 */
export const ENGINE_NAMED_INPUTS = { 'dockyard-engine': ENGINE_FILES };

/** The engine's files, as a target's input. */
export const ENGINE_INPUTS = ['dockyard-engine'];

/** The engines' npm packages are the workspace's runtime dependencies: read from package.json, so the list cannot go stale. */
function runtimeDependencies(): string[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {}).sort();
}

/** What target inference knows of the workspace's settings. */
export interface WorkspaceFacts {
  /** `DOCKYARD_STORE` names a shared tier (a registry or S3) behind the local content store. */
  sharedStore: boolean;
}

export type TargetInference = (project: ProjectFacts, workspace?: WorkspaceFacts) => TargetConfiguration | undefined;

/** Where the project's steps write, as target outputs (`{workspaceRoot}/dist/<name>/<step>`). */
export const outputsOf = (project: ProjectFacts): OutputPaths => outputPaths('{workspaceRoot}', project.name);

/** The same, as descriptions show them (`dist/<name>/<step>`). */
export const shownOutputs = (project: ProjectFacts): OutputPaths => outputPaths('', project.name);

/** A `publish` after `check`: never cached (it writes registries or clouds; a re-run finds what is there). */
export function publishAfterCheck(project: ProjectFacts, description: string): TargetConfiguration {
  const command = `${CLI} publish ${project.root}`;
  return {
    command,
    cache: false,
    dependsOn: ['check'],
    outputs: [outputsOf(project).publish],
    configurations: { 'dry-run': { command: `${command} --dry-run` } },
    metadata: { description: `${description} (use -c dry-run to preview)` },
  };
}
