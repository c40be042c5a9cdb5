import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unmountAllUnder } from './mounts';
import { removeTempDir } from './tmp';

/** Only the dirs startRegistry/startDockerEngine make: tempDir('registry' | 'docker'). */
const serviceRunDir = /^dockyard-(registry|docker)-[A-Za-z0-9]{6}$/;
/** Younger dirs may belong to a service another run is starting right now. */
const minimumAgeMs = 10 * 60_000;

async function commandLinesOfAllProcesses(): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (line) => line.replace(/\0/g, ' '),
        () => '',
      ),
    ),
  );
  return lines.filter(Boolean);
}

/**
 * Removes service run dirs left by runs that were killed before they could clean up
 * (SIGKILL, a power cut): old enough, and no live process names them on its command line.
 * Returns the dirs removed.
 */
export async function sweepAbandonedRunDirs(): Promise<string[]> {
  const base = tmpdir();
  const candidates = (await readdir(base)).filter((name) => serviceRunDir.test(name)).map((name) => join(base, name));
  if (candidates.length === 0) return [];
  const commandLines = await commandLinesOfAllProcesses();
  const removed: string[] = [];
  for (const dir of candidates) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory() || Date.now() - info.mtimeMs < minimumAgeMs) continue;
    if (commandLines.some((line) => line.includes(dir))) continue;
    await unmountAllUnder(dir);
    await removeTempDir(dir);
    removed.push(dir);
  }
  return removed;
}
