import type { ProjectConfiguration } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSharedStoreLocation } from '@dockyard/oci/store-location';
import { nameKey, parseProject, projectClaims, type LoadedProject } from '@dockyard/project-spec';
import { inferTargets } from './targets';
import { ENGINE_NAMED_INPUTS, type ProjectFacts } from './targets/shared';

/** One file as read; undefined when it cannot be read at all. Never throws: a broken file still yields a project. */
function readProject(workspaceRoot: string, file: string): LoadedProject | undefined {
  try {
    return parseProject(readFileSync(join(workspaceRoot, file), 'utf8'), file);
  } catch {
    return undefined;
  }
}

/** What the entry point caches per file: the Nx project, and what it needs to relate projects to each other. */
export interface InferredProject {
  project: ProjectConfiguration;
  /** Names a Release ships (for createDependencies). */
  ships: string[];
  /** Keys of the claims this file holds (libs/project-spec/src/claims.ts). */
  holds: string[];
  /** Keys whose holders' project.yaml files this project's `validate` reads: its own claims and the names it ships. */
  reads: string[];
}

/**
 * The Nx project of one project.yaml, a pure function of the file's text, the content store's location
 * (`DOCKYARD_STORE`) and this code, so the entry point can cache it by content hash. The shipped names stay out of the project's metadata: every key Nx
 * merges and writes to its graph cache costs time on each of thousands of projects (bench/graph).
 */
export function inferProject(workspaceRoot: string, file: string, store?: string): InferredProject {
  const root = dirname(file);
  const loaded = readProject(workspaceRoot, file);
  const facts: ProjectFacts = loaded
    ? { name: loaded.name, root, kind: loaded.kind, spec: loaded.spec }
    : { name: root.replace(/\//g, '-'), root };
  const ships =
    facts.spec?.kind === 'Release'
      ? [...(facts.spec.ships?.plugins ?? []), ...(facts.spec.ships?.appImages ?? [])]
      : [];
  const holds = [...new Set(loaded ? projectClaims(loaded).map((c) => c.key) : [])];
  return {
    project: {
      name: facts.name,
      root,
      tags: [`kind:${facts.kind ?? 'unknown'}`],
      namedInputs: ENGINE_NAMED_INPUTS,
      targets: inferTargets(facts, { sharedStore: isSharedStoreLocation(store) }),
    },
    ships,
    holds,
    reads: [...new Set([...holds, ...ships.map(nameKey)])],
  };
}
