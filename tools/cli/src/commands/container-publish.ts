import { publishContainerImageProject, PublishPreflightError } from '../../../../libs/container/src';
import { UsageError, type Command } from '../command';
import { positiveInt } from './copy';
import { containerProjectOrReport, reportFailure } from './container-project-arg';

const usage = `Usage: dockyard publish PROJECT [--dry-run] [--concurrency N]

Pushes what \`dockyard build --project PROJECT\` built for a ContainerImage project — every image under
every tag — to every registry of its registries: list at once. Credentials come from the environment
variables the project names (usernameEnv/passwordEnv); every one must be set before anything is pushed.
Each blob goes to a registry once, blobs it has are skipped (HEAD), and an unchanged tag costs two HEADs.
A registry that fails does not stop the others; it is reported and the exit code is 1.
The report is written to dist/<name>/publish/report.json.

  --dry-run         check the credentials and print what would be pushed where; push nothing
  --concurrency N   parallel transfers per registry (default 16)

Example:
  dockyard publish releases/containers/openeuler --dry-run`;

export const publishCommand: Command = {
  name: 'publish',
  usage,
  options: { 'dry-run': { type: 'boolean' }, concurrency: { type: 'string' } },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError(`expected one PROJECT\n\n${usage}`);
    const concurrency = positiveInt(values.concurrency, 'concurrency');
    const project = await containerProjectOrReport(positionals[0]!);
    if (!project) return 1;
    try {
      const result = await publishContainerImageProject(project, { dryRun: Boolean(values['dry-run']), concurrency, log: (line) => console.error(line) });
      if (values['dry-run']) {
        for (const entry of result.plan) for (const reference of entry.references) console.log(`would push ${reference}`);
        return 0;
      }
      for (const outcome of result.outcomes) {
        console.log(`${outcome.status} ${outcome.registry}/${outcome.repository} (${outcome.results.length}/${outcome.references.length} tags)${outcome.error ? `: ${outcome.error}` : ''}`);
      }
      const { bytes, blobsCopied, blobsSkipped, blobsMounted } = result.stats;
      console.log(`${blobsCopied} blobs copied (${bytes} bytes), ${blobsSkipped} present, ${blobsMounted} mounted; report ${result.report}`);
      return result.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
    } catch (err) {
      if (err instanceof PublishPreflightError) {
        for (const problem of err.problems) console.error(problem);
        return 1;
      }
      return reportFailure('publish', err);
    }
  },
};
