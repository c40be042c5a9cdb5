import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verbs } from './commands';
import { describeFailure, isUsageMistake } from './advice';
import { ExitCode, parseCommandArgs, UsageError } from './command';
import { consoleOutput, type Output } from './output';
import type { VerbHelp } from './verb-table';

function overview(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    'Usage: dockyard <command> [options]',
    '',
    'Declarative release engineering for the projects described by project.yaml files.',
    '',
    'Commands:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `dockyard help <command>` or `dockyard <command> --help` for the options of one command;',
    '`dockyard --version` prints the version.',
  ].join('\n');
}

/** The workspace package's version: the CLI ships with it. */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** Runs one command line. `helpTable` (the compiled CLI's) answers --help and flag mistakes before the verb loads. */
export async function main(argv: string[], helpTable?: Record<string, VerbHelp>): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    console.log(`dockyard ${version()}`);
    return 0;
  }
  // `dockyard help copy` is `dockyard copy --help`.
  const [verb, ...rest] = argv[0] === 'help' && argv[1] ? [argv[1], '--help'] : argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(overview());
    return verb ? ExitCode.ok : ExitCode.usage;
  }
  return runVerb(verb, rest, consoleOutput, helpTable);
}

/**
 * Runs one verb with its arguments, printing to `output`: what `dockyard VERB ARGS...` does, failures worded the same.
 * The Nx plugin's batch executor calls it once per task, so a task prints exactly what the CLI would.
 */
export async function runVerb(
  verb: string,
  argv: string[],
  output: Output,
  helpTable?: Record<string, VerbHelp>,
): Promise<number> {
  const known = verbs.find((v) => v.name === verb);
  if (!known) {
    output.error(`dockyard: unknown command "${verb}"\n\n${overview()}`);
    return ExitCode.usage;
  }
  try {
    const help = helpTable?.[verb] ?? (await known.load());
    const args = parseCommandArgs(help, argv);
    if (args.values.help) {
      output.log(help.usage);
      return ExitCode.ok;
    }
    const command = await known.load();
    // Loaded with the verb, not before: --help needs none of libs/files (~15 ms of child_process, crypto, streams).
    const { onStopSignal } = await import('@dockyard/files');
    // Cleanup of temps happens in libs/files' own listener; this one says why the run stopped, on the process's
    // stderr: a signal stops the whole process, and a stopped task's captured output is never shown.
    const stopReport = onStopSignal((signal) => console.error(`dockyard ${verb}: interrupted (${signal})`));
    try {
      return await command.run(args, output);
    } finally {
      stopReport();
    }
  } catch (err) {
    output.error(`dockyard ${verb}: ${describeFailure(verb, err)}`);
    if (!(err instanceof UsageError) && !isUsageMistake(err)) return ExitCode.failure;
    output.error(`Run \`dockyard ${verb} --help\` for its usage.`);
    return ExitCode.usage;
  }
}
