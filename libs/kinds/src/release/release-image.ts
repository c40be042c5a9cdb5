import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { builtReleaseImage, outputPaths, RELEASE_IMAGE_RECORD, type Release } from '@dockyard/project-spec';
import { DockyardError } from '@dockyard/errors';
import { replaceDirectory, sourceDateEpoch, writeFileAtomic } from '@dockyard/files';
import { baseImageOpener, urlDownloader, buildImages, type BuildResult, writeBuild } from '@dockyard/builder';
import { keepLayout, parsePlatform, type ContentStore, type CopyScheduler, type LocationContext } from '@dockyard/oci';

export interface ReleaseImageRequest {
  spec: Release;
  projectDir: string;
  workspaceRoot: string;
  store: ContentStore;
  context: LocationContext;
  scheduler: CopyScheduler;
  /** The base: `build.from` at the digest the lock pins (`host/repo:tag@sha256:…`), or `scratch`. */
  from: string;
  /** Build and write dist/, push nothing. */
  dryRun?: boolean;
}

export const DEFAULT_RELEASE_FILES = [
  { from: '@collect', to: '/release/charts' },
  { from: '@images', to: '/release/images' },
];

export function releaseImageReference(spec: Release): string {
  const image = builtReleaseImage(spec);
  if (!image) throw new DockyardError(`${spec.name} has no build: section`, { code: 'SECTION_MISSING' });
  return image;
}

/** The Kubefile the release image is built from `from`, its COPY sources relative to the workspace root. */
export function releaseImageDockerfile(spec: Release, projectDir: string, workspaceRoot: string, from: string): string {
  const build = spec.build!;
  const dist = outputPaths('', spec.name);
  const project = relative(workspaceRoot, projectDir).split('\\').join('/');
  const source = (from: string) =>
    from === '@collect' ? dist.collect : from === '@images' ? dist.images : posix.join(project, from);
  const lines = [`FROM ${from}`];
  for (const file of build.files ?? DEFAULT_RELEASE_FILES)
    lines.push(`COPY ${JSON.stringify([source(file.from), file.to])}`);
  lines.push(
    `LABEL ${JSON.stringify('org.opencontainers.image.version')}=${JSON.stringify(spec.version)} ${JSON.stringify('org.opencontainers.image.title')}=${JSON.stringify(spec.name)}`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Builds a Release's image with the daemonless builder (context: the workspace, so the collect output, the image
 * lists and project files are all reachable), writes it to `dist/<name>/release-image/` (an OCI layout, with
 * release-image.json naming it) and pushes it to `build.image`. With a shared tier behind the store, every blob of the
 * layout is kept in the store (and so in that tier), linked into the layout.
 */
export async function buildReleaseImage(
  request: ReleaseImageRequest,
): Promise<{ reference: string; result: BuildResult; layout: string; pushed: boolean }> {
  const { spec } = request;
  const reference = releaseImageReference(spec);
  const scratch = await mkdtemp(join(tmpdir(), 'dockyard-release-image-'));
  try {
    const dockerfile = join(scratch, 'Kubefile');
    await writeFile(dockerfile, releaseImageDockerfile(spec, request.projectDir, request.workspaceRoot, request.from));
    const result = await buildImages({
      dockerfile,
      contextDir: request.workspaceRoot,
      platforms: (spec.build!.platforms ?? ['linux/amd64']).map(parsePlatform),
      store: request.store,
      epoch: await sourceDateEpoch(request.projectDir),
      openImage: baseImageOpener(request.context),
      download: urlDownloader(request.store),
    });
    const layout = outputPaths(request.workspaceRoot, spec.name).releaseImage;
    // Swapped in once the push succeeded too: a failed run keeps the last good layout and its record.
    await replaceDirectory(layout, async (temp) => {
      const targets = [`oci:${temp}:${reference}`, ...(request.dryRun ? [] : [`docker://${reference}`])];
      await writeBuild(request.scheduler, request.context, result.top, targets);
      // With a shared tier every blob is kept there too, so a cache needs only the layout's small files.
      if (request.store.shared) await keepLayout(temp, request.store);
      await writeFileAtomic(
        join(temp, RELEASE_IMAGE_RECORD),
        JSON.stringify({ image: reference, digest: result.top.manifest.digest }, null, 2) + '\n',
      );
    });
    return { reference, result, layout, pushed: !request.dryRun };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
