import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '@dockyard/files';
import { imageChanges, type ImageSet, type ReleaseChanges } from './release-changes';
import { inventoryImages, lockImagesAt, lockImagesHere } from './release-images';
import type { WorkspaceProject } from './workspace-projects';

/** Where a Release's `bundle` leaves its inventory beside the bundle, workspace-relative. */
export const bundleInventoryPath = (project: string) => join('dist', project, 'bundle', 'inventory.json');

/** Where a kept copy of a Release's inventory sits in a folder of inventories (one run's, kept by CI). */
export const keptInventoryPath = (dir: string, project: string) => join(dir, project, 'inventory.json');

export interface SummaryInput {
  workspaceRoot: string;
  base: string;
  head: string;
  /** The affected projects (a plan's `projects`); the Releases among them are summarised. */
  affected: readonly string[];
  projects: ReadonlyMap<string, WorkspaceProject>;
  /** A folder of the base run's inventories (see keepInventories), when CI kept them. */
  baseInventories?: string;
  /** A folder of head's inventories in the same layout (from the shards that bundled); else dist/ here. */
  headInventories?: string;
}

/**
 * Per affected Release, the images added, removed and moved between base and head. Both sides are read from
 * the bundle inventories when both exist (head's from its bundle in dist/ or the folder the shards kept,
 * base's from the folder CI kept for the base commit); otherwise both from the lock's pinned images, base's as committed there. The two are
 * never mixed: they spell names differently (the install site's name vs. the source's).
 */
export async function releaseSummaries(input: SummaryInput): Promise<ReleaseChanges[]> {
  const out: ReleaseChanges[] = [];
  for (const name of [...input.affected].sort()) {
    const project = input.projects.get(name);
    if (project?.kind !== 'Release') continue;
    const headInventory = await inventoryImages(
      input.headInventories
        ? keptInventoryPath(input.headInventories, name)
        : join(input.workspaceRoot, bundleInventoryPath(name)),
    );
    const baseInventory = input.baseInventories
      ? await inventoryImages(keptInventoryPath(input.baseInventories, name))
      : undefined;
    if (headInventory && baseInventory) {
      out.push({
        project: name,
        source: 'the bundle inventories',
        changes: imageChanges(baseInventory, headInventory),
      });
      continue;
    }
    const before = await lockImagesAt(input.workspaceRoot, input.base, project.root);
    const after = (await lockImagesHere(input.workspaceRoot, project.root)) ?? new Map();
    const isNew = !(await existedAt(input.workspaceRoot, input.base, project.file));
    out.push({
      project: name,
      source: 'project.lock.yaml',
      changes: imageChanges(before ?? (new Map() as ImageSet), after),
      ...(isNew ? { isNew } : {}),
    });
  }
  return out;
}

async function existedAt(workspaceRoot: string, revision: string, file: string): Promise<boolean> {
  const result = await execa('git', ['cat-file', '-e', `${revision}:${file}`], { cwd: workspaceRoot, reject: false });
  return result.exitCode === 0;
}

/**
 * Copies each Release's inventory from dist/ into `dir` (as `<project>/inventory.json`), for CI to keep under
 * the commit it was made from: the pull requests based on that commit compare against it. Returns the projects kept.
 */
export async function keepInventories(
  workspaceRoot: string,
  projects: ReadonlyMap<string, WorkspaceProject>,
  dir: string,
): Promise<string[]> {
  const kept: string[] = [];
  for (const project of projects.values()) {
    if (project.kind !== 'Release') continue;
    const from = join(workspaceRoot, bundleInventoryPath(project.name));
    const bytes = await readFile(from).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!bytes) continue;
    await writeFileAtomic(keptInventoryPath(dir, project.name), bytes);
    kept.push(project.name);
  }
  return kept.sort();
}
