import {
  isReservedHost,
  parseReference,
  planSync,
  readImageLists,
  type ImageListEntry,
  type ImageRef,
  type Rewrite,
} from '@dockyard/oci';
import { outputPaths, type Plugin, type Release } from '@dockyard/project-spec';

/** An image a cached target ships: the lock's key, and where `resolve` reads the digest its tag points to. */
export interface ShippedImage {
  /** As project.yaml or the image list spells it, tag included. */
  image: string;
  source: ImageRef;
  /** Where it is named: `images.list` and its line, or `project.yaml:field` with line 0. */
  entry: ImageListEntry;
}

export interface ShippedImages {
  images: ShippedImage[];
  /** Read on documentation-only hosts (RFC 2606), which never resolve: the offline examples name them. */
  skipped: ShippedImage[];
}

/**
 * The images a Release's payload carries: the `images` target's list (just `images.extra` without components, as
 * nothing is collected then) and `bundle.images.extra`, in that order.
 */
export async function releaseImageEntries(
  spec: Release,
  file: string,
  workspaceRoot: string,
): Promise<ImageListEntry[]> {
  const listed: ImageListEntry[] = (spec.components ?? []).length
    ? await readImageLists([outputPaths(workspaceRoot, spec.name).imagesList])
    : (spec.images?.extra ?? []).map((image, i) => ({ image, file: `${file}:images.extra[${i}]`, line: 0 }));
  const extra = (spec.bundle?.images?.extra ?? []).map((image, i) => ({
    image,
    file: `${file}:bundle.images.extra[${i}]`,
    line: 0,
  }));
  return [...listed, ...extra];
}

/**
 * Where a Release's images come from: bundle.images.from when set, else the sync source, with the sync rewrites
 * either way. `sync` copies from there by digest and `bundle` reads the same digest, so one digest serves both.
 */
export function releaseImageOrigin(spec: Release): { from?: string; rewrites: Rewrite[] } {
  return { from: spec.bundle?.images?.from ?? spec.sync?.from.registry, rewrites: spec.sync?.from.rewrites ?? [] };
}

/** An image read where it is named (its own registry). */
export function namedImage(image: string, where: string): ShippedImage {
  return { image, source: parseReference(image), entry: { image, file: where, line: 0 } };
}

/** A listed image read at `origin` (a registry replacing the line's host, and path rewrites), as `sync` reads it. */
export function listedImage(entry: ImageListEntry, origin: { from?: string; rewrites: Rewrite[] }): ShippedImage {
  const [job] = planSync([entry], origin.from, [], origin.rewrites);
  return { image: entry.image, source: job!.source, entry };
}

/**
 * Every image a Release ships: its payload's images, the release image it names (a built one is pinned by its
 * build), the base that build starts from, and what its own `sync.lists` name.
 */
export async function releaseShippedImages(
  spec: Release,
  file: string,
  workspaceRoot: string,
  syncListed: ImageListEntry[] = [],
): Promise<ShippedImages> {
  const origin = releaseImageOrigin(spec);
  const payload = readsPayloadImages(spec) ? await releaseImageEntries(spec, file, workspaceRoot) : [];
  const listed = [...payload, ...syncListed].map((entry) => listedImage(entry, origin));
  const named = [namedReleaseImage(spec, file), releaseBaseImage(spec, file)].filter((image) => image !== undefined);
  return partition([...listed, ...named]);
}

/** `build.from`, the base of the release image the Release builds, read where it is named. */
export function releaseBaseImage(spec: Release, file: string): ShippedImage | undefined {
  const from = spec.build?.from;
  return from && from !== 'scratch' ? namedImage(from, `${file}:build.from`) : undefined;
}

/**
 * Whether a Release's payload images can be read, and so must be pinned: without bundle.images.from or a sync
 * source nothing reads them (a bundle refuses to), and a documentation-only host never answers.
 */
export function readsPayloadImages(spec: Release): boolean {
  const { from } = releaseImageOrigin(spec);
  return from !== undefined && !isReservedHost(from);
}

/** `bundle.releaseImage`, read where it is named. A release image the Release builds itself is pinned by that build instead. */
export function namedReleaseImage(spec: Release, file: string): ShippedImage | undefined {
  const named = spec.bundle?.releaseImage;
  return named ? namedImage(named, `${file}:bundle.releaseImage`) : undefined;
}

/**
 * A Plugin's service image and its other images, and what its own `sync.lists` name, read at its sync source with
 * the sync rewrites (its CI pushes them there; the release registry it names has them only after `sync`), or where
 * they are named without a sync section.
 */
export function pluginShippedImages(spec: Plugin, file: string, syncListed: ImageListEntry[] = []): ShippedImages {
  const named = [
    { image: spec.spec.service.image, file: `${file}:spec.service.image` },
    ...(spec.images ?? []).map((image, i) => ({ image, file: `${file}:images[${i}]` })),
  ];
  return partition(
    [...named.map((entry) => ({ ...entry, line: 0 })), ...syncListed].map((entry) =>
      listedImage(entry, pluginImageOrigin(spec)),
    ),
  );
}

/** How an image `sync` copies is named in the lock: as the project ships it. */
export function syncedImage(spec: Release | Plugin, entry: ImageListEntry): ShippedImage {
  return listedImage(entry, spec.kind === 'Release' ? releaseImageOrigin(spec) : pluginImageOrigin(spec));
}

function pluginImageOrigin(spec: Plugin): { from?: string; rewrites: Rewrite[] } {
  return { from: spec.sync?.from.registry, rewrites: spec.sync?.from.rewrites ?? [] };
}

/** The images an AppImage's cluster images carry, as its init.sh and discovery find them per version and arch. */
export function appShippedImages(
  listed: { version: string; arch: string; images: string[] }[],
  file: string,
): ShippedImages {
  return partition(
    listed.flatMap(({ version, arch, images }) =>
      images.map((image) => namedImage(image, appImageWhere(file, version, arch))),
    ),
  );
}

/** Where an AppImage's discovered image is named, for messages. */
export function appImageWhere(file: string, version: string, arch: string): string {
  return `${file} (version ${version}, ${arch})`;
}

function partition(all: ShippedImage[]): ShippedImages {
  const seen = new Set<string>();
  const images: ShippedImage[] = [];
  const skipped: ShippedImage[] = [];
  for (const shipped of all) {
    if (seen.has(shipped.image)) continue;
    seen.add(shipped.image);
    if (isReservedHost(shipped.source.registry)) skipped.push(shipped);
    else images.push(shipped);
  }
  return { images, skipped };
}

export function describeEntry(entry: ImageListEntry): string {
  return entry.line ? `${entry.file}:${entry.line}` : entry.file;
}
