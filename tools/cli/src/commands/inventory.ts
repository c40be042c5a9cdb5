import { resolve } from 'node:path';
import { formatInventory, registryInventory } from '@dockyard/bundle';
import { writeFileAtomic } from '@dockyard/files';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { registryHelp, registryOptions, registrySettings } from '../registry-options';

const usage = `Usage: dockyard inventory docker://HOST [--out FILE] [options]

Lists what a registry holds (every repository:tag with its manifests, platforms and blobs; only
manifests are read) as a bundle inventory, for \`dockyard bundle --since FILE\`: the delta then
leaves out every blob the install site's registry already has.

${optionList([['--out FILE', 'write the inventory here (default: print it)'], ...registryHelp(['platform'])])}`;

export const inventoryCommand: Command = {
  name: 'inventory',
  usage,
  options: { ...registryOptions(['platform']), out: { type: 'string' } },
  async run({ values, positionals }) {
    if (positionals.length !== 1 || !positionals[0]!.startsWith('docker://'))
      throw new UsageError(`name one registry as docker://HOST\n\n${usage}`);
    const registry = positionals[0]!.slice('docker://'.length).replace(/\/+$/, '');
    const settings = registrySettings(values);
    const inventory = await registryInventory(await settings.pool.connect(registry), registry);
    const bytes = formatInventory(inventory);
    if (!values.out) process.stdout.write(bytes);
    else {
      await writeFileAtomic(resolve(values.out as string), bytes);
      console.log(
        `${inventory.images.length} image(s), ${inventory.totals.uniqueBlobs} blob(s) at ${registry}: ${values.out}`,
      );
    }
    return 0;
  },
};
