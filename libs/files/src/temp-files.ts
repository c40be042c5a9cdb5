import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processIsAlive } from './process-alive';
import { onStopSignal } from './stop-signals';

/**
 * Temp files of this process that exist right now (`tempPathFor` names them): removed when the process
 * is stopped by SIGINT or SIGTERM, so an interrupted copy leaves no half-written archive or blob.
 */
const live = new Set<string>();
const swept = new Set<string>();
let cleanupRegistered = false;

/** `<name>.tmp-<pid>-<8 hex>`: the pid says whose it is. */
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]{8}$/;

function removeLiveTemps(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
  cleanupRegistered = false;
}

/** Registers a temp path for removal on SIGINT/SIGTERM. */
export function trackTemp(path: string): void {
  if (!cleanupRegistered) onStopSignal(removeLiveTemps);
  cleanupRegistered = true;
  live.add(path);
}

/** The temp path was renamed into place or removed: nothing to clean up for it any more. */
export function forgetTemp(path: string): void {
  live.delete(path);
}

/**
 * Removes temp files (or folders) in `dir` left by processes that no longer run — killed with SIGKILL,
 * or by a power cut, before they could clean up. Temps of running processes are left alone.
 */
export function sweepStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || processIsAlive(Number(pid))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Sweeps the folder of `path` the first time this process writes a temp file there. */
export function sweepFolderOnce(path: string): void {
  const dir = dirname(path);
  if (swept.has(dir) || !basename(path)) return;
  swept.add(dir);
  sweepStaleTemps(dir);
}
