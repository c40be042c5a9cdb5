import { publishContainerImageProject, PublishPreflightError } from '@dockyard/container';
import type { ParsedArgs } from '../command';
import { positiveInt } from './copy';
import { containerProjectOrReport, reportFailure } from './container-project-arg';

/** What `dockyard publish` does with a ContainerImage, for the verb's --help. */
export const containerPublishHelp = `With a ContainerImage project, publish pushes what \`dockyard build --project PROJECT\` built — every
image under every tag — to every registry of its registries: list at once. Credentials come from the
environment variables the project names; every one must be set before anything is pushed. Each blob
goes to a registry once, blobs it has are skipped (HEAD), an unchanged tag costs two HEADs, and a
registry that fails does not stop the others (it is reported, exit code 1). --dry-run checks the
credentials and prints every reference; --concurrency N sets parallel transfers per registry.
The report is written to dist/<name>/publish/report.json.`;

/**
 * `dockyard publish PROJECT` for a ContainerImage (the publish verb dispatches here): pushes what `build --project`
 * made, every tag, to every registry of the project at once.
 */
export async function containerPublishCommand(path: string, values: ParsedArgs['values']): Promise<number> {
  const concurrency = positiveInt(values.concurrency, 'concurrency');
  const project = await containerProjectOrReport(path);
  if (!project) return 1;
  try {
    const result = await publishContainerImageProject(project, {
      dryRun: Boolean(values['dry-run']),
      concurrency,
      log: (line) => console.error(line),
    });
    if (values['dry-run']) {
      for (const entry of result.plan) for (const reference of entry.references) console.log(`would push ${reference}`);
      return 0;
    }
    for (const outcome of result.outcomes) {
      console.log(
        `${outcome.status} ${outcome.registry}/${outcome.repository} (${outcome.results.length}/${outcome.references.length} tags)${outcome.error ? `: ${outcome.error}` : ''}`,
      );
    }
    const { bytes, blobsCopied, blobsSkipped, blobsMounted } = result.stats;
    console.log(
      `${blobsCopied} blobs copied (${bytes} bytes), ${blobsSkipped} present, ${blobsMounted} mounted; report ${result.report}`,
    );
    return result.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } catch (err) {
    if (err instanceof PublishPreflightError) {
      for (const problem of err.problems) console.error(problem);
      return 1;
    }
    return reportFailure('publish', err);
  }
}
