import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { DockyardError } from '@dockyard/errors';
import { LOCK_FILE_NAME, parseLockFile } from '@dockyard/sources';
import type { ImageSet } from './release-changes';

/** The images of a bundle inventory (`inventory.json`) by name; undefined when the file is not there. */
export async function inventoryImages(file: string): Promise<ImageSet | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DockyardError(`${file}: cannot read the inventory`, { code: 'INVENTORY_READ', cause: err });
  }
  let inventory: { schemaVersion?: unknown; images?: { name?: unknown; digest?: unknown }[] };
  try {
    inventory = JSON.parse(text);
  } catch (err) {
    throw new DockyardError(`${file}: not JSON`, { code: 'INVENTORY_FORMAT', cause: err });
  }
  if (inventory?.schemaVersion !== 1 || !Array.isArray(inventory.images))
    throw new DockyardError(`${file}: not a dockyard inventory (expected schemaVersion 1 and an images list)`, {
      code: 'INVENTORY_FORMAT',
    });
  return new Map(inventory.images.map((i) => [String(i.name), String(i.digest)]));
}

/** The images a lock text pins, by name; `file` names it in errors. */
export function lockImages(text: string, file: string): ImageSet {
  const lock = parseLockFile(text, file);
  return new Map(Object.entries(lock.images ?? {}).map(([name, pinned]) => [name, pinned.digest]));
}

/** The pinned images of `<root>/project.lock.yaml` as committed at `revision`; undefined when it has none there. */
export async function lockImagesAt(
  workspaceRoot: string,
  revision: string,
  root: string,
): Promise<ImageSet | undefined> {
  const path = `${root}/${LOCK_FILE_NAME}`;
  const result = await execa('git', ['show', `${revision}:${path}`], { cwd: workspaceRoot, reject: false });
  if (result.exitCode !== 0) {
    const stderr = String(result.stderr);
    if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
    throw new DockyardError(`git show ${revision}:${path} failed in ${workspaceRoot}: ${stderr.trim()}`, {
      code: 'GIT_SHOW',
    });
  }
  return lockImages(String(result.stdout), `${path} at ${revision}`);
}

/** The pinned images of the lock in the work tree; undefined when there is none. */
export async function lockImagesHere(workspaceRoot: string, root: string): Promise<ImageSet | undefined> {
  const file = join(workspaceRoot, root, LOCK_FILE_NAME);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new DockyardError(`${file}: cannot read the lock`, { code: 'LOCK_READ', cause: err });
  });
  return text === undefined ? undefined : lockImages(text, file);
}
