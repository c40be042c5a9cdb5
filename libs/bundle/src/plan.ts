import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isReservedHost, parseReference, planSync, type ImageRef } from '@dockyard/oci';
import {
  listedImage,
  lockFilePath,
  namedReleaseImage,
  pinnedDigest,
  pluginShippedImages,
  readPinnedLock,
  releaseImageEntries,
  releaseImageOrigin,
} from '@dockyard/sources';
import { checkedPath, confinedPath } from '@dockyard/files';
import {
  bundledReleaseImage,
  outputPaths,
  outputsRoot,
  PATH_RULES,
  RELEASE_IMAGE_RECORD,
  type Plugin,
  type Release,
} from '@dockyard/project-spec';
import type { ImageRequest } from './bundle-images';
import { shippedAppImages, type ShippedApp } from './app-images';
import type { Provenance } from './inventory';
import { definitionFiles, lockSources, type SbomFacts } from './bundle-sbom';
import type { BundleFileSource, BundleInput, ImagePayload, PayloadFormat } from './make-bundle';
import { DockyardError } from '@dockyard/errors';

/** What a bundle is made of, before anything is fetched: make-bundle's input without the run's machinery. */
export interface BundlePlan extends Omit<BundleInput, 'mtime' | 'store' | 'pool' | 'scheduler' | 'progress' | 'sbom'> {
  /** The release's version and the lock's sources, for the SBOM. */
  sbom: SbomFacts;
  /** Set when images were left out because they live on a documentation-only host (the offline examples). */
  skipped?: { registry: string; images: number };
}

export interface ProjectFiles {
  name: string;
  /** The project folder (absolute). */
  dir: string;
  file: string;
  workspaceRoot: string;
}

export function bundleDir(workspaceRoot: string, name: string): string {
  return join(confinedPath(outputsRoot(workspaceRoot), name, ['name'], PATH_RULES.projectName), 'bundle');
}

/** `image` read at `fromRegistry` (with rewrites) by the digest the lock pins it to; its tag stays its name in the bundle. */
function request(
  image: string,
  digest: string,
  fromRegistry: string | undefined,
  rewrites: { from: string; to: string }[],
  where: string,
): ImageRequest {
  const [job] = planSync([{ image, file: where, line: 0 }], fromRegistry, [], rewrites);
  const tagged = parseReference(`registry.invalid/${job!.path}`);
  return {
    source: byDigest(job!.source, digest),
    repository: tagged.repository,
    tag: tagged.tag ?? digestTag(tagged.digest!),
  };
}

/** Read by `digest` (a registry is asked for the digest when a reference has both); the tag stays for people. */
function byDigest(ref: ImageRef, digest: string): ImageRef {
  return { ...ref, digest };
}

/** The digest of the release image the Release's own `build` target made (it records it beside its OCI layout). */
async function builtReleaseDigest(workspaceRoot: string, spec: Release): Promise<string> {
  const record = join(outputPaths(workspaceRoot, spec.name).releaseImage, RELEASE_IMAGE_RECORD);
  const text = await readFile(record, 'utf8').catch(() => undefined);
  if (!text)
    throw new DockyardError(
      `${record} is missing: build the release image first (the build target) so the bundle carries exactly what it built`,
      { code: 'RELEASE_IMAGE_NOT_BUILT' },
    );
  return (JSON.parse(text) as { digest: string }).digest;
}

/** A by-digest reference has no tag; registry storage and docker archives need one, so it is named after the digest. */
function digestTag(digest: string): string {
  return `sha256-${digest.slice(7)}`;
}

async function readProvenance(file: string): Promise<Provenance> {
  const provenance: Provenance = new Map();
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (!text) return provenance;
  for (const image of JSON.parse(text) as {
    repository: string;
    tag?: string;
    digest?: string;
    sources: { file: string; keyPath?: string; line?: number }[];
  }[]) {
    provenance.set(`${image.repository}:${image.tag ?? digestTag(image.digest ?? '')}`, image.sources);
  }
  return provenance;
}

function modeOf(mode: string | undefined): number | undefined {
  return mode === undefined ? undefined : parseInt(mode, 8);
}

/** `{version}` in bundle.name and bundle.file is the release version, itself checked: it becomes part of both names. */
function withVersion(spec: Release, template: string): string {
  return template.replaceAll('{version}', checkedPath(spec.version, ['version'], PATH_RULES.bundleVersion));
}

function releaseTopFolder(spec: Release): string {
  return checkedPath(
    withVersion(spec, spec.bundle?.name ?? `${spec.name}-{version}`),
    ['bundle', 'name'],
    PATH_RULES.bundleTop,
  );
}

/** Where the bundle target writes a Release's or Plugin's bundle. */
export function bundleOutput(workspaceRoot: string, spec: Release | Plugin): string {
  const dir = bundleDir(workspaceRoot, spec.name);
  const file =
    spec.kind === 'Plugin'
      ? pluginBundleFile(spec)
      : checkedPath(
          spec.bundle?.file ? withVersion(spec, spec.bundle.file) : `${releaseTopFolder(spec)}.tar.gz`,
          ['bundle', 'file'],
          PATH_RULES.bundleFile,
        );
  return join(dir, file);
}

/**
 * A Release's offline installer: its files, the image payload (the `images` target's list plus
 * bundle.images.extra, read from bundle.images.from or the first sync.to registry), the release
 * image as image/release.tar.gz, the bundles of the plugins it ships under plugins/, and the builds of the
 * AppImages it ships under apps/<app>/<version>/.
 */
export async function planReleaseBundle(
  project: ProjectFiles,
  spec: Release,
  shippedPlugins: { name: string; file: string }[],
  shippedApps: ShippedApp[] = [],
): Promise<BundlePlan> {
  const bundle = spec.bundle ?? {};
  const output = bundleOutput(project.workspaceRoot, spec);
  const top = releaseTopFolder(spec);
  const imagesDir = outputPaths(project.workspaceRoot, spec.name).images;
  const explicitFrom = bundle.images?.from;
  const from = explicitFrom ?? spec.sync?.to[0]?.registry;
  const rewrites = explicitFrom ? (spec.sync?.from.rewrites ?? []) : [];
  const entries = await releaseImageEntries(spec, project.file, project.workspaceRoot);
  if (entries.length && !from)
    throw new DockyardError(
      `${project.file}: bundle.images.from is not set and there is no sync.to registry to read the images from`,
      { code: 'BUNDLE_IMAGES_SOURCE_MISSING' },
    );
  const format: PayloadFormat = bundle.images?.format ?? 'registry-dir';
  const payloadFile = checkedPath(
    bundle.images?.file ??
      (format === 'docker-archive' ? 'images.tar' : format === 'oci' ? 'images-oci.tar' : 'registry.tar'),
    ['bundle', 'images', 'file'],
    PATH_RULES.bundleMember,
  );
  const skip = from !== undefined && isReservedHost(from);
  const lock = await readPinnedLock(project, spec.components);
  const lockFile = lockFilePath(project.dir);
  const images = skip
    ? []
    : entries.map((e) =>
        request(
          e.image,
          pinnedDigest(lock, listedImage(e, releaseImageOrigin(spec)), lockFile),
          from,
          rewrites,
          e.file,
        ),
      );
  const payloads: ImagePayload[] = [{ file: payloadFile, format, images, platforms: bundle.images?.platforms }];
  const releaseImageName = bundledReleaseImage(spec);
  const releaseImage = releaseImageName ? parseReference(releaseImageName) : undefined;
  const skipRelease = releaseImage !== undefined && isReservedHost(releaseImage.registry);
  if (releaseImage && !skipRelease) {
    const named = namedReleaseImage(spec, project.file);
    const digest = named ? pinnedDigest(lock, named, lockFile) : await builtReleaseDigest(project.workspaceRoot, spec);
    payloads.push({
      file: 'image/release.tar.gz',
      format: 'docker-archive',
      images: [
        {
          source: byDigest(releaseImage, digest),
          repository: `${releaseImage.registry}/${releaseImage.repository}`,
          tag: releaseImage.tag ?? digestTag(releaseImage.digest!),
        },
      ],
      platforms: bundle.images?.platforms,
    });
  }
  const files: BundleFileSource[] = (bundle.files ?? []).map((f, i) => {
    const where = `${project.file}:bundle.files[${i}]`;
    const to = checkedPath(
      f.to ?? (f.from ?? new URL(f.url!).pathname).split('/').pop()!,
      ['bundle', 'files', i, 'to'],
      PATH_RULES.bundleMember,
    );
    return f.from
      ? {
          to,
          mode: modeOf(f.mode),
          where,
          file: confinedPath(project.dir, f.from, ['bundle', 'files', i, 'from'], PATH_RULES.projectFile),
        }
      : { to, mode: modeOf(f.mode), where, url: f.url!, sha256: f.sha256! };
  });
  const apps = await shippedAppImages(project.workspaceRoot, shippedApps);
  return {
    output,
    top,
    files,
    payloads,
    nested: [
      ...shippedPlugins.map((p) => ({ path: `plugins/${p.file.split('/').pop()}`, file: p.file })),
      ...apps.nested,
    ],
    generated: [],
    provenance: await readProvenance(join(imagesDir, 'images.json')),
    sbom: { version: spec.version, sources: lockSources(lock), definition: await definitionFiles(project) },
    ...(apps.listed.length ? { appImages: apps.listed } : {}),
    ...(skip || skipRelease
      ? {
          skipped: {
            registry: skip ? from! : releaseImage!.registry,
            images: (skip ? entries.length : 0) + (skipRelease ? 1 : 0),
          },
        }
      : {}),
  };
}

export function pluginBundleFile(spec: Plugin): string {
  return `compass-plugins-${spec.name}-${checkedPath(spec.spec.version, ['spec', 'version'], PATH_RULES.bundleVersion)}.tar.gz`;
}

/** `<image>` in `compass-plugins-<name>-<image>-<VERSION>-image.tar.gz`: the repository's last part without the package prefix (`service` for the service image). */
function imagePart(spec: Plugin, repository: string): string {
  const last = repository.split('/').pop()!;
  const prefix = `compass-plugins-${spec.name}`;
  if (last === prefix) return 'service';
  return last.startsWith(`${prefix}-`) ? last.slice(prefix.length + 1) : last;
}

/** The plugin-center document: `metadata{name, alias}` and the project's `spec`. */
function pluginCenterYaml(spec: Plugin): Buffer {
  return Buffer.from(
    stringify(
      { metadata: { name: spec.name, ...(spec.alias ? { alias: spec.alias } : {}) }, spec: spec.spec },
      { sortMapEntries: false },
    ),
  );
}

/** A plugin package: one gzip docker archive per image (tag kept) and `compass-plugins-<name>.yaml`, no top folder. */
export async function planPluginBundle(project: ProjectFiles, spec: Plugin): Promise<BundlePlan> {
  // Left out: what resolve could not pin (read at a documentation-only host) and what the bundle would read at one.
  const { images, skipped: unpinned } = pluginShippedImages(spec, project.file);
  const reachable = images.filter((shipped) => !isReservedHost(parseReference(shipped.image).registry));
  const skipped = [...unpinned, ...images.filter((shipped) => !reachable.includes(shipped))].map((shipped) =>
    parseReference(shipped.image),
  );
  const lock = reachable.length ? await readPinnedLock(project) : undefined;
  const lockFile = lockFilePath(project.dir);
  return {
    output: bundleOutput(project.workspaceRoot, spec),
    top: '',
    files: [],
    payloads: reachable.map((shipped) => {
      const ref = parseReference(shipped.image);
      return {
        file: `compass-plugins-${spec.name}-${imagePart(spec, ref.repository)}-${spec.spec.version}-image.tar.gz`,
        format: 'docker-archive' as const,
        images: [
          {
            source: byDigest(ref, pinnedDigest(lock, shipped, lockFile)),
            repository: `${ref.registry}/${ref.repository}`,
            tag: ref.tag ?? digestTag(ref.digest!),
          },
        ],
      };
    }),
    nested: [],
    generated: [{ path: `compass-plugins-${spec.name}.yaml`, bytes: pluginCenterYaml(spec) }],
    provenance: new Map(),
    sbom: { version: spec.spec.version, sources: lockSources(lock), definition: await definitionFiles(project) },
    ...(skipped.length ? { skipped: { registry: skipped[0]!.registry, images: skipped.length } } : {}),
  };
}
