import { readFile } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';
import { writeFileAtomic } from '@dockyard/files';

/**
 * The last run time of each project, in seconds: a small JSON file CI keeps in its cache so the next plan can
 * balance shards. `{"version": 1, "projects": {"name": seconds}}`, sorted by name.
 */
export type RunTimes = Map<string, number>;

export async function readRunTimes(file: string): Promise<RunTimes> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // The first run of a repository has no times yet: every project gets the same estimate.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new DockyardError(`${file}: cannot read the run times`, { code: 'RUN_TIMES_READ', cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DockyardError(`${file}: not JSON (${(err as Error).message})`, {
      code: 'RUN_TIMES_FORMAT',
      hint: 'delete the file; the next run writes it again',
      cause: err,
    });
  }
  const projects = (json as { version?: unknown; projects?: unknown })?.projects;
  if ((json as { version?: unknown }).version !== 1 || typeof projects !== 'object' || projects === null)
    throw new DockyardError(`${file}: not a run times file (expected version 1 and a projects object)`, {
      code: 'RUN_TIMES_FORMAT',
      hint: 'delete the file; the next run writes it again',
    });
  const times: RunTimes = new Map();
  for (const [name, seconds] of Object.entries(projects))
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) times.set(name, seconds);
  return times;
}

export function formatRunTimes(times: RunTimes): string {
  const projects = Object.fromEntries([...times].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: 1, projects }, null, 2)}\n`;
}

export function writeRunTimes(file: string, times: RunTimes): Promise<void> {
  return writeFileAtomic(file, formatRunTimes(times));
}

/** A task as Nx's task profile (`NX_PROFILE=file`, Chrome trace format) records it. */
interface ProfileEvent {
  ph?: string;
  dur?: number;
  args?: { target?: { project?: string }; status?: string };
}

/** Statuses of tasks that ran here; a cache hit says nothing about how long the project takes. */
const RAN = new Set(['success', 'failure']);

/**
 * Each project's time in one run, from Nx's task profile: the sum of its tasks that ran (cache hits left out).
 * A project whose tasks were all cache hits is absent, so merging keeps its earlier time.
 */
export function projectTimesFromProfile(profile: unknown, file: string): RunTimes {
  if (!Array.isArray(profile))
    throw new DockyardError(`${file}: not an Nx task profile (expected a JSON array of trace events)`, {
      code: 'NX_PROFILE_FORMAT',
    });
  const times: RunTimes = new Map();
  for (const event of profile as ProfileEvent[]) {
    const project = event?.args?.target?.project;
    if (event?.ph !== 'X' || !project || typeof event.dur !== 'number' || !RAN.has(event.args?.status ?? '')) continue;
    times.set(project, (times.get(project) ?? 0) + event.dur / 1e6);
  }
  for (const [project, seconds] of times) times.set(project, Math.round(seconds * 10) / 10);
  return times;
}

/** `earlier` with every project of `latest` replaced by its latest time: the file holds last run times. */
export function mergeRunTimes(earlier: RunTimes, latest: RunTimes): RunTimes {
  return new Map([...earlier, ...latest]);
}
