import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DockyardError } from '@dockyard/errors';
import type { AppImage, Arch } from '@dockyard/project-spec';

/** One version of an app to build: the folder it is built from and the arches it is built for. */
export interface AppVersion {
  version: string;
  /** `<app>/<version>/` when it exists, else `<app>/latest/`. */
  folder: string;
  arches: Arch[];
}

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** The arches a `build_arch` file allows (whitespace- or line-separated), or undefined without one. */
async function buildArchFile(folder: string): Promise<string[] | undefined> {
  const text = await readFile(join(folder, 'build_arch'), 'utf8').catch(() => undefined);
  return text?.split(/[\s,]+/).filter(Boolean);
}

/** Each version's folder and arches, as sealos' cluster-image workflow picks them. */
export async function appVersions(spec: AppImage, projectDir: string): Promise<AppVersion[]> {
  const out: AppVersion[] = [];
  for (const version of spec.versions) {
    const own = join(projectDir, version);
    const latest = join(projectDir, 'latest');
    const folder = (await isDir(own))
      ? own
      : spec.latestFallback !== false && (await isDir(latest))
        ? latest
        : undefined;
    if (!folder)
      throw new DockyardError(
        `${spec.name} ${version}: neither ${version}/ nor latest/ exists in ${projectDir}${spec.latestFallback === false ? ' (latestFallback is false)' : ''}`,
        { code: 'APP_VERSION_MISSING' },
      );
    const wanted: Arch[] = spec.arches ?? ['amd64', 'arm64'];
    const allowed = await buildArchFile(folder);
    const arches = allowed ? wanted.filter((a) => allowed.includes(a)) : wanted;
    if (!arches.length)
      throw new DockyardError(
        `${join(folder, 'build_arch')}: allows ${allowed!.join(', ')}, none of ${wanted.join(', ')}; nothing to build`,
        { code: 'APP_NO_ARCH' },
      );
    out.push({ version, folder, arches });
  }
  return out;
}
