import type { ProjectSpec, Release } from '@dockyard/project-spec';
import { type TargetInference, verbTask } from './shared';

/** Components whose exact version lives in project.lock.yaml: git tags, chart versions, image tags. */
export const hasLockedComponents = (spec: Release) => (spec.components ?? []).some((c) => c.git || c.helm || c.image);

/**
 * Whether a Release ships images whose digests the lock pins: the release image it names, its build's base, and, when something reads
 * them (bundle.images.from or a sync source), the images its components run, images.extra, bundle.images.extra and
 * its sync lists.
 */
function shipsImages(spec: Release): boolean {
  const listsImages =
    (spec.components ?? []).length ||
    spec.images?.extra?.length ||
    spec.bundle?.images?.extra?.length ||
    spec.sync?.lists?.length;
  const buildsFromImage = spec.build?.from && spec.build.from !== 'scratch';
  return Boolean(
    spec.bundle?.releaseImage || buildsFromImage || ((spec.bundle?.images?.from || spec.sync) && listsImages),
  );
}

/** Whether a project has a project.lock.yaml to keep: locked components, or images a cached target ships (every Plugin and AppImage). */
export function usesLock(spec: ProjectSpec | undefined): boolean {
  if (spec?.kind === 'Plugin' || spec?.kind === 'AppImage') return true;
  return spec?.kind === 'Release' && (hasLockedComponents(spec) || shipsImages(spec));
}

/**
 * `resolve` brings project.lock.yaml in line with project.yaml: component versions, and the digest every shipped
 * image's tag points to. Locked entries that still satisfy project.yaml are kept without asking the network, so
 * running it before every `collect` or `bundle` is cheap and never moves a reviewed lock; `-c update` looks
 * everything up again (the old `make update-tag`), `-c check` fails when the lock is missing, out of line, or a
 * tag moved (CI). A Release's image list comes from its collected charts, so it collects and lists them on the
 * way (into the folders `collect` and `images` write). It writes the source tree, so it is never cached.
 */
export const resolveTarget: TargetInference = (project) => {
  if (!usesLock(project.spec)) return undefined;
  return {
    ...verbTask('resolve', project),
    cache: false,
    outputs: ['{projectRoot}/project.lock.yaml'],
    configurations: {
      update: { flags: ['--update'] },
      check: { flags: ['--check'] },
    },
    metadata: {
      description: `Pin the components and image digests of ${project.name} into ${project.root}/project.lock.yaml (-c update for newer versions and moved tags, -c check in CI)`,
    },
  };
};
