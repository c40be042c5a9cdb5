import { join } from 'node:path';
import { listAppImages } from '@dockyard/builder/projects';
import { isReservedHost, readImageLists, type CredentialsSpec, type RegistryPool } from '@dockyard/oci';
import type { AppImage, ProjectOfKind } from '@dockyard/project-spec';
import {
  appShippedImages,
  collectComponents,
  formatSourceIssue,
  lockFilePath,
  pluginShippedImages,
  readsPayloadImages,
  releaseImageOrigin,
  releaseShippedImages,
  type LockedProject,
  type LockFile,
  type ShippedImages,
} from '@dockyard/sources';
import { appImageRequest } from './build-project';
import { endpointsOf } from './bundle';
import { registrySettings } from './copy';
import { projectImages } from './images';
import { expandLists } from './sync';

/**
 * What the project ships. A Release's image list comes from its collected charts, and collecting needs the
 * component lock just resolved: so collect and images run here, into the folders their cached targets write.
 */
export async function shippedImagesOf(project: LockedProject, lock: LockFile): Promise<ShippedImages | number> {
  try {
    return await listedImagesOf(project, lock);
  } catch (err) {
    console.error(`resolve: ${(err as Error).message}`);
    return 1;
  }
}

async function listedImagesOf(project: LockedProject, lock: LockFile): Promise<ShippedImages | number> {
  const { spec } = project;
  const syncListed =
    spec.kind !== 'AppImage' && spec.sync?.lists?.length
      ? await readImageLists(await expandLists(spec.sync.lists, project.dir))
      : [];
  if (spec.kind === 'Plugin') return pluginShippedImages(spec, project.file, syncListed);
  if (spec.kind === 'AppImage') {
    const app = project as ProjectOfKind<AppImage>;
    return appShippedImages(
      await listAppImages(appImageRequest(app.spec, app.dir, app.workspaceRoot, {})),
      project.file,
    );
  }
  const { from } = releaseImageOrigin(spec);
  if (from && isReservedHost(from))
    console.log(
      `not locked: the images ${spec.name} lists, read at ${from} (a documentation-only host, RFC 2606, that never resolves)`,
    );
  if ((spec.components ?? []).length && readsPayloadImages(spec)) {
    const outDir = join(project.workspaceRoot, 'dist', spec.name, 'collect');
    const collected = await collectComponents({
      project: spec.name,
      dir: project.dir,
      components: spec.components ?? [],
      placeholders: spec.placeholders,
      lock,
      outDir,
    });
    if (collected.issues.length > 0) {
      for (const issue of collected.issues) console.error(formatSourceIssue(issue, project));
      console.error(
        `resolve: collecting ${spec.name} to list its images failed; ${lockFilePath(project.dir)} left unchanged`,
      );
      return 1;
    }
    const listed = await projectImages(project.file, undefined);
    if (listed !== 0) return listed;
  }
  return releaseShippedImages(spec, project.file, project.workspaceRoot, syncListed);
}

/** Digests are read with the credentials project.yaml names for its registries, as sync and bundle read images. */
export function registryPool(project: LockedProject): RegistryPool {
  const endpoints = endpointsOf(project.spec);
  const credentials: Record<string, CredentialsSpec> = {};
  for (const e of endpoints) if (e.credentials) credentials[e.registry] = e.credentials;
  return registrySettings(
    {},
    { insecure: endpoints.filter((e) => e.insecure).map((e) => e.registry), credentials, baseDir: project.dir },
  ).pool;
}
