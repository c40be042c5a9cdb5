import { relative } from 'node:path';
import { buildReleaseImage } from '@dockyard/builder/projects';
import { ContentStore, CopyScheduler, formatReference, locationContext, parseReference } from '@dockyard/oci';
import type { LoadedProject, Release } from '@dockyard/project-spec';
import type { ParsedArgs } from '../command';
import { registrySettings } from './copy.ts';

/** `build.from` at the digest the lock pins, so the release image starts from what `resolve` recorded. */
async function pinnedBase(spec: Release, project: LoadedProject): Promise<string> {
  const sources = await import('@dockyard/sources');
  const lock = await sources.readPinnedLock({ name: spec.name, dir: project.dir, file: project.file }, spec.components);
  const base = sources.releaseBaseImage(spec, project.file);
  return base
    ? formatReference({ ...base.source, digest: sources.pinnedDigest(lock, base, sources.lockFilePath(project.dir)) })
    : 'scratch';
}

/** `dockyard build --project` on a Release: its release image, from the `build:` section. */
export async function buildReleaseImageCommand(
  project: LoadedProject,
  workspaceRoot: string,
  values: ParsedArgs['values'],
): Promise<number> {
  const spec = project.spec as Release;
  if (!spec.build) {
    console.error(
      `${project.file}: ${spec.name} has no build: section, so there is no release image to build (add build.image and, if needed, build.from and build.files)`,
    );
    return 1;
  }
  const host = parseReference(spec.build.image.replaceAll('{version}', spec.version)).registry;
  const settings = registrySettings(values, {
    credentials: spec.build.credentials ? { [host]: spec.build.credentials } : {},
    insecure: spec.build.insecure ? [host] : [],
    baseDir: project.dir,
  });
  try {
    const built = await buildReleaseImage({
      spec,
      projectDir: project.dir,
      workspaceRoot,
      store: ContentStore.default(),
      context: locationContext(settings.pool),
      scheduler: new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry }),
      from: await pinnedBase(spec, project),
      dryRun: Boolean(values['dry-run']),
    });
    console.log(
      `${built.reference} ${built.result.top.manifest.digest} (${built.result.layersBuilt} layers built, ${built.result.layersCached} from cache) → ${relative(process.cwd(), built.layout)}${built.pushed ? ', pushed' : ', not pushed (--dry-run)'}`,
    );
    return 0;
  } catch (err) {
    console.error(`dockyard build: ${(err as Error).message}`);
    return 1;
  }
}
