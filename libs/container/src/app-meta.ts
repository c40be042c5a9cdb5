import { DockyardError } from '@dockyard/errors';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import type { Arch } from '@dockyard/project-spec';
import { imageArch } from './arch';
import { appTag, compareVersions } from './tags';

/** One image of a meta.yml: `<tag>: {path: <app-ver>/<os-ver>/Dockerfile, arch?}`. */
export interface AppImageEntry {
  tag: string;
  /** The Dockerfile, relative to meta.yml's folder. */
  path: string;
  appVersion: string;
  osVersion: string;
  /** Only this arch when meta.yml names one, else every arch of the project. */
  arch?: Arch;
}

/** `arch:` as openeuler-docker-images writes it (`x86_64`, `aarch64`) or as images do (`amd64`, `arm64`). */
function entryArch(value: unknown, where: string): Arch | undefined {
  if (value === undefined || value === null) return undefined;
  const arch =
    imageArch(String(value)) ??
    (['amd64', 'arm64', 'loong64', 'riscv64'].includes(String(value)) ? (String(value) as Arch) : undefined);
  if (!arch)
    throw new DockyardError(`${where}: arch "${String(value)}" is not one of x86_64, aarch64, amd64, arm64`, {
      code: 'APP_META_INVALID',
    });
  return arch;
}

/** Parses a meta.yml text; `file` is what errors name. */
export function parseMeta(text: string, file: string): AppImageEntry[] {
  const data = parse(text) as Record<string, { path?: unknown; arch?: unknown } | null> | null;
  if (!data || typeof data !== 'object')
    throw new DockyardError(`${file}: expected a mapping of tag → {path: <app-version>/<os-version>/Dockerfile}`, {
      code: 'APP_META_INVALID',
    });
  return Object.entries(data).map(([tag, value]) => {
    const path = value?.path;
    const parts = typeof path === 'string' ? path.split('/') : [];
    if (typeof path !== 'string' || parts.length < 3)
      throw new DockyardError(`${file}: ${tag}.path must be <app-version>/<os-version>/Dockerfile`, {
        code: 'APP_META_INVALID',
      });
    return {
      tag: String(tag),
      path,
      appVersion: parts.at(-3)!,
      osVersion: parts.at(-2)!,
      arch: entryArch(value?.arch, `${file}: ${tag}.arch`),
    };
  });
}

export async function readMeta(file: string): Promise<AppImageEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DockyardError(
      `${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (app.meta names it)' : (err as Error).message}`,
      { code: 'APP_META_INVALID', cause: err },
    );
  }
  return parseMeta(text, file);
}

/** The image's tags: its meta.yml tag, plus `latest` on the highest app version (then OS version) when asked for. */
export function appImageTags(entries: readonly AppImageEntry[], latest = true): Map<AppImageEntry, string[]> {
  const tags = new Map(entries.map((e) => [e, [e.tag]]));
  if (latest && entries.length && !entries.some((e) => e.tag === 'latest')) {
    const highest = [...entries].sort(
      (a, b) => compareVersions(b.appVersion, a.appVersion) || compareVersions(b.osVersion, a.osVersion),
    )[0]!;
    tags.get(highest)!.push('latest');
  }
  return tags;
}

/** meta.yml entries for a tree of `<app-version>/<os-version>/Dockerfile` folders, with the default tags. */
export function metaForDockerfiles(root: string, dockerfiles: readonly string[]): Record<string, { path: string }> {
  const meta: Record<string, { path: string }> = {};
  for (const file of dockerfiles) {
    const path = relative(root, file);
    const [appVersion, osVersion] = dirname(path).split('/');
    if (!appVersion || !osVersion) continue;
    meta[appTag(appVersion, osVersion)] = { path };
  }
  return meta;
}

/** The folder a meta.yml entry builds in: its Dockerfile's folder. */
export function entryContextDir(metaFile: string, entry: AppImageEntry): string {
  return dirname(join(dirname(metaFile), entry.path));
}
