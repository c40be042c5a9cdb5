import { collectComponents, formatSourceIssue, readLockFile } from '@dockyard/sources';
import type { LockFile } from '@dockyard/sources';
import type { ReleaseProject } from './project';

export interface CollectFacts {
  outDir: string;
  /** Collected files, relative to outDir. */
  files: string[];
  /** What went wrong, each line pointing at project.yaml or the file; the previous output is left as it was. */
  issues: string[];
}

/**
 * Fetches exactly the content the lock pins of every component into `outDir` (default dist/<name>/collect),
 * placeholders substituted. `lock` is the lock just resolved; else project.lock.yaml is read.
 */
export async function collectProject(
  project: ReleaseProject,
  options: { outDir?: string; lock?: LockFile } = {},
): Promise<CollectFacts> {
  const { spec } = project;
  const outDir = options.outDir ?? project.outputs.collect;
  const { files, issues } = await collectComponents({
    project: spec.name,
    dir: project.dir,
    components: spec.components ?? [],
    placeholders: spec.placeholders,
    lock: options.lock ?? (await readLockFile(project.dir)),
    outDir,
  });
  return { outDir, files, issues: issues.map((issue) => formatSourceIssue(issue, project)) };
}
