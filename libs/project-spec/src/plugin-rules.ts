import type { LoadedProject } from './load';

/**
 * The compass plugin conventions, in one place for `validate` and the generators: how a plugin's service
 * image is named, and which ports and slots a plugin holds (no two plugins may share either).
 */

/** First port a new plugin gets when none is asked for: compass plugin services listen from 8080 up. */
export const FIRST_PLUGIN_PORT = 8080;

/** The service image a plugin must ship: `<releaseRegistry>/release/compass-plugins-<name>:<version>`. */
export function pluginImage(releaseRegistry: string, name: string, version: string): string {
  return `${releaseRegistry}/release/compass-plugins-${name}:${version}`;
}

/** What one Plugin project holds, read best-effort so a plugin whose file has other problems still holds them. */
export interface PluginClaims {
  project: LoadedProject;
  releaseRegistry?: string;
  port?: number;
  /** Each slot with where it is written: spec.modules[module].slots[index]. */
  slots: { slot: string; module: number; index: number }[];
}

export function pluginClaims(projects: readonly LoadedProject[]): PluginClaims[] {
  return projects
    .filter((p) => p.kind === 'Plugin')
    .map((project) => {
      const data = (project.data ?? {}) as {
        releaseRegistry?: unknown;
        spec?: { service?: { port?: unknown }; modules?: unknown };
      };
      const port = data.spec?.service?.port;
      const modules = Array.isArray(data.spec?.modules) ? (data.spec.modules as { slots?: unknown }[]) : [];
      const slots = modules.flatMap((m, module) =>
        (Array.isArray(m?.slots) ? (m.slots as unknown[]) : []).flatMap((slot, index) =>
          typeof slot === 'string' ? [{ slot, module, index }] : [],
        ),
      );
      return {
        project,
        releaseRegistry: typeof data.releaseRegistry === 'string' ? data.releaseRegistry : undefined,
        port: Number.isInteger(port) ? (port as number) : undefined,
        slots,
      };
    });
}

/** The plugin that owns `port`: the first one holding it, in path order. */
export function portOwner(plugins: readonly PluginClaims[], port: number): PluginClaims | undefined {
  return plugins.find((p) => p.port === port);
}

/** The plugin that owns `slot`: the first one holding it, in path order. */
export function slotOwner(plugins: readonly PluginClaims[], slot: string): PluginClaims | undefined {
  return plugins.find((p) => p.slots.some((s) => s.slot === slot));
}

/** The lowest port from FIRST_PLUGIN_PORT up that no plugin holds. */
export function freePort(plugins: readonly PluginClaims[]): number {
  const taken = new Set(plugins.map((p) => p.port));
  let port = FIRST_PLUGIN_PORT;
  while (taken.has(port)) port++;
  return port;
}
