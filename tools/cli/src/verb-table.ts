import type { Command } from './command';
import { verbs } from './commands';

/** What `--help` and the option parser need of a verb, without its engines. */
export type VerbHelp = Pick<Command, 'usage' | 'options' | 'project'>;

/**
 * Every verb's usage and options, read once when the CLI is compiled (tools/cli/build.cjs writes them beside the
 * bundle), so that `dockyard VERB --help` and a mistyped flag load no verb and no engine, the way oclif's manifest
 * spares its commands.
 */
export async function verbTable(): Promise<Record<string, VerbHelp>> {
  const table: Record<string, VerbHelp> = {};
  for (const verb of verbs) {
    const { usage, options, project } = await verb.load();
    table[verb.name] = { usage, options, ...(project ? { project } : {}) };
  }
  return table;
}
