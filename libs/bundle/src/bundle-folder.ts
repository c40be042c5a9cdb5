import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathProblem } from '@dockyard/files';
import { PATH_RULES } from '@dockyard/project-spec';
import { INVENTORY_FILE, type Inventory } from './inventory';

/** The endings a bundle file may have (they choose the compression). */
const ARCHIVE_ENDING = /\.(tar|tar\.gz|tgz|tar\.zst|tar\.zstd)$/;
const DELTA_INVENTORY_ENDING = '.inventory.json';

/**
 * What a delta is named after: the top folder of the bundle whose inventory it was made against (its
 * name and version), or, for a registry's inventory, which names no bundle, a digest of what it holds.
 */
export function deltaBase(previous: Inventory): string {
  if (previous.bundle && !pathProblem(previous.bundle, PATH_RULES.bundleTop)) return previous.bundle;
  const held = previous.images
    .map((i) => `${i.name}@${i.digest}`)
    .sort()
    .join('\n');
  return `sha256-${createHash('sha256').update(held).digest('hex').slice(0, 12)}`;
}

/** A delta's own file beside the full bundle, `<bundle>-delta-from-<base>.<ending>`, so it never replaces it. */
export function deltaOutput(output: string, base: string): string {
  const file = basename(output);
  const ending = ARCHIVE_ENDING.exec(file)?.[0] ?? '';
  return join(dirname(output), `${file.slice(0, file.length - ending.length)}-delta-from-${base}${ending}`);
}

/** The inventory written beside a bundle: `inventory.json` for the full bundle, `<delta>.inventory.json` for a delta. */
export function besideInventory(output: string, delta: boolean): string {
  if (!delta) return join(dirname(output), INVENTORY_FILE);
  return output.replace(ARCHIVE_ENDING, DELTA_INVENTORY_ENDING);
}

/**
 * After a full bundle is written, the bundles (and deltas) of other versions and names in its folder are
 * removed, so `dist/<project>/bundle` (the Nx output, and so the cache) holds the current bundle only.
 * Work folders and temp files of runs in progress are not bundles and stay.
 */
export async function clearOtherBundles(output: string): Promise<string[]> {
  const dir = dirname(output);
  const keep = new Set([basename(output), INVENTORY_FILE]);
  const stale = (await readdir(dir, { withFileTypes: true }))
    .filter(
      (e) =>
        e.isFile() && !keep.has(e.name) && (ARCHIVE_ENDING.test(e.name) || e.name.endsWith(DELTA_INVENTORY_ENDING)),
    )
    .map((e) => e.name)
    .sort();
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}
