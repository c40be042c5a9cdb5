import { join } from 'node:path';
import { confinedPath } from '@dockyard/files';
import { indexChildren, layoutBlobs, ociBlobPath, OciLayout, platformString } from '@dockyard/oci';
import { BUILD_RECORD, OCI_INDEX_FILE, OCI_LAYOUT_FILE, outputsRoot, PATH_RULES } from '@dockyard/project-spec';
import { DockyardError } from '@dockyard/errors';

/** An AppImage a Release ships (`ships.appImages[index]`), whose `build` target wrote each version to dist/<name>/<version>/. */
export interface ShippedApp {
  name: string;
  index: number;
  repository: string;
  versions: string[];
}

/** What the inventory says of one shipped AppImage version. */
export interface ShippedAppImage {
  /** `<repository>:<version>`, as the build tagged it. */
  name: string;
  /** Its folder in the bundle: `apps/<app>/<version>`. */
  folder: string;
  /** The index over its arches. */
  digest: string;
  platforms: string[];
}

/** The OCI layout a build writes (and build.json, which names each arch's carried images); the logs beside it stay behind. */
const LAYOUT_FILES = [OCI_LAYOUT_FILE, OCI_INDEX_FILE, BUILD_RECORD];

/** The blobs index.json reaches, as archive member names: a blob left in the folder by an older build is not carried. */
async function blobFiles(dir: string): Promise<string[]> {
  return (await layoutBlobs(dir)).map((blob) => ociBlobPath(blob.digest));
}

/**
 * Each version of each shipped AppImage as built, every arch: its OCI layout under `apps/<app>/<version>/` in
 * the installer (like plugins/ for plugin packages), and an inventory entry naming the index and its platforms.
 * Every blob must be in the folder (a layout a cache restored without them is completed first: completeLayout).
 */
export async function shippedAppImages(
  workspaceRoot: string,
  apps: ShippedApp[],
): Promise<{ nested: { path: string; file: string }[]; listed: ShippedAppImage[] }> {
  const nested: { path: string; file: string }[] = [];
  const listed: ShippedAppImage[] = [];
  for (const app of apps) {
    const field = ['ships', 'appImages', app.index];
    const appDir = confinedPath(outputsRoot(workspaceRoot), app.name, field, PATH_RULES.projectName);
    for (const version of app.versions) {
      const dir = confinedPath(appDir, version, field, PATH_RULES.appVersion);
      const folder = `apps/${app.name}/${version}`;
      const layout = new OciLayout(dir);
      const top = await layout.findRef(version);
      if (!top)
        throw new DockyardError(
          `${dir}/index.json names no image ${version}: build ${app.name} first so the installer carries what it built`,
          { code: 'APP_IMAGE_NOT_BUILT' },
        );
      const platforms = indexChildren({
        mediaType: top.mediaType,
        digest: top.digest,
        bytes: await layout.readBlob(top.digest),
      }).map((c) => platformString(c.platform));
      listed.push({ name: `${app.repository}:${version}`, folder, digest: top.digest, platforms });
      for (const file of [...LAYOUT_FILES, ...(await blobFiles(dir))])
        nested.push({ path: `${folder}/${file}`, file: join(dir, file) });
    }
  }
  return { nested, listed };
}
