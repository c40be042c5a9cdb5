import {
  copyImages,
  CopyScheduler,
  locationContext,
  locationName,
  locationSyntaxHelp,
  openSource,
  openTarget,
  parseLocation,
} from '@dockyard/oci';
import { UsageError, type Command } from '../command';
import { optionList } from '../help';
import { registryHelp, registryOptions, registrySettings } from '../registry-options';

const usage = `Usage: dockyard copy SOURCE... DESTINATION [options]

Copies images or multi-arch indexes between any two locations, digests preserved.
Blobs already at the destination are skipped, blobs in another repository of the same
registry are mounted, downloads resume after broken connections, and every blob is
verified against its digest before it is stored. Several sources go into one
destination together: one docker archive holds them all, each shared blob once.

Locations (skopeo's transport names):
${locationSyntaxHelp()}
A destination without REF/REPO:TAG takes each source's name.

Options:
${optionList(registryHelp())}

Example:
  dockyard copy docker://127.0.0.1:5000/release/app:v1 docker-archive:app.tar:release/app:v1`;

export const copyCommand: Command = {
  name: 'copy',
  usage,
  options: registryOptions(),
  async run({ values, positionals }) {
    if (positionals.length < 2)
      throw new UsageError(`expected SOURCE... and DESTINATION, got ${positionals.length} argument(s)\n\n${usage}`);
    let sources, to;
    try {
      sources = positionals.slice(0, -1).map(parseLocation);
      to = parseLocation(positionals[positionals.length - 1]!);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (sources.length > 1 && Object.values(locationName(to)).some(Boolean)) {
      throw new UsageError(
        `${positionals[positionals.length - 1]} names one image, but ${sources.length} sources were given; name none and each image keeps its source's name`,
      );
    }
    const settings = registrySettings(values);
    const scheduler = new CopyScheduler({ concurrency: settings.concurrency, retry: settings.retry });
    const context = locationContext(settings.pool);
    const pairs = sources.map((from) => ({ source: openSource(from, context), target: openTarget(to, context, from) }));
    const results = await copyImages(scheduler, pairs, { platforms: settings.platforms });
    for (const result of results) console.log(`${result.status} ${result.source} → ${result.target} ${result.digest}`);
    const { bytes, blobsCopied, blobsSkipped, blobsMounted } = scheduler.stats;
    console.log(`${blobsCopied} blobs copied, ${bytes} bytes; ${blobsSkipped} present; ${blobsMounted} mounted`);
    return 0;
  },
};
