import type { ProjectConfiguration } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseProject } from '../../../libs/spec/src';
import { inferTargets } from './targets';
import type { ProjectFacts } from './targets/shared';

/** Facts of one file. Never throws: a broken file still yields a project whose `validate` shows the error. */
export function readProjectFacts(workspaceRoot: string, file: string): ProjectFacts {
  const root = dirname(file);
  try {
    const loaded = parseProject(readFileSync(join(workspaceRoot, file), 'utf8'), file);
    return { name: loaded.name, root, kind: loaded.kind, spec: loaded.spec };
  } catch {
    return { name: root.replace(/\//g, '-'), root };
  }
}

/** What the entry point caches per file: the Nx project, and the names it ships (for createDependencies). */
export interface InferredProject {
  project: ProjectConfiguration;
  ships: string[];
}

/**
 * The Nx project of one project.yaml, a pure function of the file's text (and this code), so the entry
 * point can cache it by content hash. The shipped names stay out of the project's metadata: every key Nx
 * merges and writes to its graph cache costs time on each of thousands of projects (bench/graph).
 */
export function inferProject(workspaceRoot: string, file: string): InferredProject {
  const facts = readProjectFacts(workspaceRoot, file);
  const ships = facts.spec?.kind === 'Release' ? [...(facts.spec.ships?.plugins ?? []), ...(facts.spec.ships?.appImages ?? [])] : [];
  return {
    project: { name: facts.name, root: facts.root, tags: [`kind:${facts.kind ?? 'unknown'}`], targets: inferTargets(facts) },
    ships,
  };
}
