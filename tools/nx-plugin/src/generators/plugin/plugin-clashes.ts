import type { LoadedProject } from '../../../../../libs/spec/src';

/** First port tried when none is given: compass plugin services conventionally listen from 8080 up. */
export const FIRST_PLUGIN_PORT = 8080;

interface PluginFacts {
  name: string;
  file: string;
  releaseRegistry?: string;
  port?: number;
  slots: string[];
}

/**
 * What the generator must not clash with, read best-effort from every Plugin project, broken ones included:
 * a plugin whose file fails validation still owns its port and slots.
 */
export function pluginFacts(projects: readonly LoadedProject[]): PluginFacts[] {
  return projects
    .filter((p) => p.kind === 'Plugin')
    .map((p) => {
      const data = (p.data ?? {}) as {
        releaseRegistry?: unknown;
        spec?: { service?: { port?: unknown }; modules?: { slots?: unknown }[] };
      };
      const port = data.spec?.service?.port;
      const slots = (Array.isArray(data.spec?.modules) ? data.spec.modules : []).flatMap((m) => (Array.isArray(m?.slots) ? m.slots.filter((s): s is string => typeof s === 'string') : []));
      return {
        name: p.name,
        file: p.file,
        releaseRegistry: typeof data.releaseRegistry === 'string' ? data.releaseRegistry : undefined,
        port: typeof port === 'number' ? port : undefined,
        slots,
      };
    });
}

/** The requested port if no other plugin has it, else an error naming the owner; without a request, the lowest free one. */
export function choosePort(plugins: readonly PluginFacts[], requested?: number): number {
  const owners = new Map(plugins.filter((p) => p.port !== undefined).map((p) => [p.port as number, p]));
  if (requested !== undefined) {
    const owner = owners.get(requested);
    if (owner) throw new Error(`--port ${requested} is already used by plugin "${owner.name}" (${owner.file}); omit --port to get a free one`);
    return requested;
  }
  let port = FIRST_PLUGIN_PORT;
  while (owners.has(port)) port++;
  return port;
}

/** Refuses slots another plugin already fills; a slot shows one plugin's module. */
export function requireFreeSlots(plugins: readonly PluginFacts[], slots: readonly string[]): void {
  for (const slot of slots) {
    const owner = plugins.find((p) => p.slots.includes(slot));
    if (owner) throw new Error(`slot "${slot}" is already used by plugin "${owner.name}" (${owner.file}); pass --slots with a free slot`);
  }
}

/** The release registry the other plugins agree on most, so a new plugin follows the workspace's convention. */
export function usualReleaseRegistry(plugins: readonly PluginFacts[]): string | undefined {
  const counts = new Map<string, number>();
  for (const p of plugins) if (p.releaseRegistry) counts.set(p.releaseRegistry, (counts.get(p.releaseRegistry) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
