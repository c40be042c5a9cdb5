import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { buffer } from 'node:stream/consumers';
import {
  releaseSbom,
  SBOM_FILE,
  sha256File,
  type ContainedFile,
  type ContainedImage,
  type SourceComponent,
} from '@dockyard/attest';
import { lockFilePath, type LockFile } from '@dockyard/sources';
import type { ShippedAppImage } from './app-images';
import { forEachBundleEntry } from './bundle-reader';
import type { Inventory } from './inventory';

/** What the SBOM says beyond the inventory: the release's version and the pinned sources it was collected from. */
export interface SbomFacts {
  version?: string;
  sources: SourceComponent[];
  /** project.yaml and its lock, workspace-relative, with their sha256. */
  definition?: ContainedFile[];
}

/** The files defining a project's release: its project.yaml and, when there is one, its lock. */
export async function definitionFiles(project: {
  dir: string;
  file: string;
  workspaceRoot: string;
}): Promise<ContainedFile[]> {
  const found: ContainedFile[] = [];
  for (const file of [join(project.dir, basename(project.file)), lockFilePath(project.dir)]) {
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes)
      found.push({
        path: relative(project.workspaceRoot, file).split(sep).join('/'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
  }
  return found;
}

/** The lock's components as SBOM sources (local folders are not locked: their files are the bundle's own). */
export function lockSources(lock: LockFile | undefined): SourceComponent[] {
  return Object.entries(lock?.components ?? {}).map(([name, entry]): SourceComponent => {
    if ('git' in entry) return { name, git: { url: entry.git, tag: entry.tag, commit: entry.commit } };
    if ('helm' in entry)
      return {
        name,
        helm: {
          repository: entry.helm,
          chart: entry.chart,
          version: entry.version,
          url: entry.url,
          digest: entry.digest,
        },
      };
    return {
      name,
      image: { repository: entry.image, tag: entry.tag, ...(entry.digest ? { digest: entry.digest } : {}) },
    };
  });
}

export interface SbomInput {
  name: string;
  facts?: SbomFacts;
  inventory: Inventory;
  appImages?: ShippedAppImage[];
  /** The bundle's plain files: on disk, downloaded (url + sha256), or generated. */
  files: (
    { path: string; file: string } | { path: string; url: string; sha256: string } | { path: string; bytes: Buffer }
  )[];
}

/** The bundle's `sbom.cdx.json`: its images (payloads and shipped AppImages), the lock's sources and its files. */
export async function bundleSbom(input: SbomInput): Promise<Buffer> {
  const apps = input.appImages ?? [];
  const images: ContainedImage[] = [
    ...input.inventory.images.map((i) => ({
      name: i.name,
      digest: i.digest,
      mediaType: i.mediaType,
      platforms: i.platforms,
      location: i.payload,
      source: i.source,
    })),
    ...apps.map((a) => ({ name: a.name, digest: a.digest, platforms: a.platforms, location: a.folder })),
  ];
  const inApp = (path: string) => apps.some((a) => path.startsWith(`${a.folder}/`));
  const files: ContainedFile[] = [];
  for (const f of input.files) {
    if (inApp(f.path)) continue;
    if ('url' in f) files.push({ path: f.path, sha256: f.sha256, url: f.url });
    else if ('bytes' in f) files.push({ path: f.path, sha256: createHash('sha256').update(f.bytes).digest('hex') });
    else files.push({ path: f.path, sha256: await sha256File(f.file) });
  }
  return releaseSbom({
    name: input.name,
    version: input.facts?.version,
    images,
    sources: input.facts?.sources ?? [],
    files,
    ...(input.facts?.definition?.length ? { definition: input.facts.definition } : {}),
  });
}

/** The `sbom.cdx.json` a bundle carries (in its top folder, or at the root of a plugin package), or undefined. */
export async function readBundleSbom(file: string): Promise<Buffer | undefined> {
  let found: Buffer | undefined;
  await forEachBundleEntry(file, async (entry) => {
    const path = entry.path.split('/');
    if (entry.type === 'file' && path.at(-1) === SBOM_FILE && path.length <= 2) found = await buffer(entry.body);
    else entry.body.resume();
  });
  return found;
}
