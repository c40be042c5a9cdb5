import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleDir, describedBundle, planReleaseBundle, pluginBundleFile, type ShippedApp } from '@dockyard/bundle';
import type { ContentStore } from '@dockyard/oci';
import { outputPaths } from '@dockyard/project-spec';
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

/** The AppImages a Release ships, whose build steps wrote every version to dist/<app>/<version>/ first. */
async function shippedApps(root: string, names: string[]): Promise<ShippedApp[]> {
  const apps = await namedProjects(root, 'AppImage', names, 'ships.appImages');
  const found: ShippedApp[] = [];
  for (const [index, app] of apps.entries()) {
    for (const version of app.versions) {
      const built = join(outputPaths(root, app.name).appVersion(version), 'index.json');
      if (!(await exists(built))) throw new MissingOutputError(built, app.name, 'build');
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
      await shippedApps(workspaceRoot, spec.ships?.appImages ?? []),
    ),
  );
  return writePlannedBundle(project, plan, options);
}
