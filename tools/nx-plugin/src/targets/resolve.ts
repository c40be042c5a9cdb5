import type { Release } from '../../../../libs/spec/src';
import { CLI, type TargetInference } from './shared';

/** Components whose exact version lives in project.lock.yaml: git tags, chart versions, image tags. */
export const hasLockedComponents = (spec: Release) => (spec.components ?? []).some((c) => c.git || c.helm || c.image);

/**
 * `resolve` brings project.lock.yaml in line with project.yaml. Locked entries that still satisfy
 * their component are kept without asking the network, so running it before every `collect` is
 * cheap and never moves a reviewed lock; `-c update` looks every component up again (the old
 * `make update-tag`), `-c check` fails when the lock is missing or out of line (CI). It writes the
 * source tree, so it is never cached.
 */
export const resolveTarget: TargetInference = (project) => {
  if (project.spec?.kind !== 'Release' || !hasLockedComponents(project.spec)) return undefined;
  const command = `${CLI} resolve ${project.root}`;
  return {
    command,
    cache: false,
    outputs: ['{projectRoot}/project.lock.yaml'],
    configurations: {
      update: { command: `${command} --update` },
      check: { command: `${command} --check` },
    },
    metadata: {
      description: `Pin the components of ${project.name} into ${project.root}/project.lock.yaml (-c update for newer versions, -c check in CI)`,
    },
  };
};
