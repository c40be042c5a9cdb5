import { freePort, portOwner, slotOwner, type PluginClaims } from '@dockyard/project-spec';

/** The requested port if no other plugin has it, else an error naming the owner; without a request, the lowest free one. */
export function choosePort(plugins: readonly PluginClaims[], requested?: number): number {
  if (requested === undefined) return freePort(plugins);
  const owner = portOwner(plugins, requested);
  if (owner)
    throw new Error(
      `--port ${requested} is already used by plugin "${owner.project.name}" (${owner.project.file}); omit --port to get a free one`,
    );
  return requested;
}

/** Refuses slots another plugin already fills; a slot shows one plugin's module. */
export function requireFreeSlots(plugins: readonly PluginClaims[], slots: readonly string[]): void {
  for (const slot of slots) {
    const owner = slotOwner(plugins, slot);
    if (owner)
      throw new Error(
        `slot "${slot}" is already used by plugin "${owner.project.name}" (${owner.project.file}); pass --slots with a free slot`,
      );
  }
}

/** The release registry the other plugins agree on most, so a new plugin follows the workspace's convention. */
export function usualReleaseRegistry(plugins: readonly PluginClaims[]): string | undefined {
  const counts = new Map<string, number>();
  for (const p of plugins)
    if (p.releaseRegistry) counts.set(p.releaseRegistry, (counts.get(p.releaseRegistry) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
