import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleDir, describedBundle, planReleaseBundle, pluginBundleFile, type ShippedApp } from '@dockyard/bundle';
import { completeLayout, type ContentStore } from '@dockyard/oci';
import { OCI_INDEX_FILE, outputPaths } from '@dockyard/project-spec';
import { planAt, writePlannedBundle, type BundleFacts, type BundleOptions } from '../shared/bundle';
import { MissingOutputError } from '../shared/missing-output';
import { namedProjects } from '../shared/workspace-projects';
import type { ReleaseProject } from './project';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Bundles of the plugins a Release ships, which their own bundle steps wrote first (or a cache restored by descriptor). */
async function shippedPlugins(
  root: string,
  names: string[],
  store: ContentStore,
): Promise<{ name: string; file: string }[]> {
  const plugins = await namedProjects(root, 'Plugin', names, 'ships.plugins');
  return Promise.all(
    plugins.map(async (plugin) => {
      const file = await describedBundle(join(bundleDir(root, plugin.name), pluginBundleFile(plugin)), store);
      if (!(await exists(file))) throw new MissingOutputError(file, plugin.name, 'bundle');
      return { name: plugin.name, file };
    }),
  );
}

/**
 * The AppImages a Release ships, whose build steps wrote every version to dist/<app>/<version>/ first; a version's
 * layout a cache restored without its blobs is completed from the content store.
 */
async function shippedApps(root: string, names: string[], store: ContentStore): Promise<ShippedApp[]> {
  const apps = await namedProjects(root, 'AppImage', names, 'ships.appImages');
  const found: ShippedApp[] = [];
  for (const [index, app] of apps.entries()) {
    for (const version of app.versions) {
      const layout = outputPaths(root, app.name).appVersion(version);
      const built = join(layout, OCI_INDEX_FILE);
      if (!(await exists(built))) throw new MissingOutputError(built, app.name, 'build');
      await completeLayout(layout, store, app.name);
    }
    found.push({ name: app.name, index, repository: app.repository, versions: app.versions });
  }
  return found;
}

/**
 * A Release's offline installer in dist/<name>/bundle: its files, its images by the digests the lock pins, its
 * release image, the bundles of the plugins and the builds of the AppImages it ships.
 */
export async function bundleProject(project: ReleaseProject, options: BundleOptions): Promise<BundleFacts> {
  const { spec, workspaceRoot } = project;
  const files = { name: spec.name, dir: project.dir, file: project.file, workspaceRoot };
  const plan = await planAt(project, async () =>
    planReleaseBundle(
      files,
      spec,
      await shippedPlugins(workspaceRoot, spec.ships?.plugins ?? [], options.store),
      await shippedApps(workspaceRoot, spec.ships?.appImages ?? [], options.store),
    ),
  );
  return writePlannedBundle(project, plan, options);
}
