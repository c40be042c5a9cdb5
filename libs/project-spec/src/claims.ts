import type { LoadedProject } from './load';
import { pluginClaims } from './plugin-rules';

/**
 * Something a project holds that no other project may: its name, a Plugin's service port, each of its slots.
 * Projects holding a claim of the same key clash. This is the whole of the workspace's uniqueness rules: `validate`
 * reports every holder of a clash, and the Nx plugin gives each project's `validate` the files holding its keys as
 * inputs, so a new clash re-validates both sides and an unrelated edit re-validates neither.
 */
export interface Claim {
  /** Equal keys clash: `name:alerts`, `port:8081`, `slot:sidebar.alerts`. */
  key: string;
  path: (string | number)[];
  /** What is held, as a message names it: `port 8081`. */
  subject: string;
  /** How a message names another holder. */
  holder: (other: LoadedProject) => string;
  hint: string;
}

/** The key of a project's name, which a Release's `ships` references look up. */
export function nameKey(name: string): string {
  return `name:${name}`;
}

const byFile = (other: LoadedProject) => other.file;
const byPlugin = (other: LoadedProject) => `plugin "${other.name}" (${other.file})`;

/** A broken file claims what can be read of it: its name always, a Plugin's port and slots when present. */
export function projectClaims(project: LoadedProject): Claim[] {
  const name: Claim = {
    key: nameKey(project.name),
    path: ['name'],
    subject: `project name "${project.name}"`,
    holder: byFile,
    hint: 'project names must be unique in the workspace: rename one',
  };
  const plugin = pluginClaims([project])[0];
  if (!plugin) return [name];
  const port: Claim[] =
    plugin.port === undefined
      ? []
      : [
          {
            key: `port:${plugin.port}`,
            path: ['spec', 'service', 'port'],
            subject: `port ${plugin.port}`,
            holder: byPlugin,
            hint: 'pick a free port',
          },
        ];
  const slots = plugin.slots.map(({ slot, module, index }): Claim => ({
    key: `slot:${slot}`,
    path: ['spec', 'modules', module, 'slots', index],
    subject: `slot "${slot}"`,
    holder: byPlugin,
    hint: 'use a slot no other plugin takes',
  }));
  return [name, ...port, ...slots];
}
