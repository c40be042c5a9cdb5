import { loadReleaseProject, type ReleaseProject } from '@dockyard/sources';

/** The Release project a verb was pointed at, or undefined once what is wrong with it is printed. */
export async function releaseProjectOrReport(path: string): Promise<ReleaseProject | undefined> {
  const loaded = await loadReleaseProject(path);
  if ('errors' in loaded) {
    for (const line of loaded.errors) console.error(line);
    return undefined;
  }
  return loaded.project;
}
