import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Output } from './output';

/**
 * Every verb's exit status. A stopped run (SIGINT, SIGTERM) removes its temp files and ends by the signal itself,
 * which the shell reports as 128 + the signal: 130 for Ctrl-C, 143 for SIGTERM.
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** One CLI verb. `run` returns the process exit code; user mistakes are printed, not thrown. */
export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The verb works on a project: it also takes its PROJECT as `--project PROJECT` (see project-arg.ts). */
  project?: boolean;
  /**
   * Runs the verb. Verbs the Nx plugin runs in process (resolve, collect, images) print only through `output`;
   * the others print to the console, which is what `output` is when the CLI runs them.
   */
  run(args: ParsedArgs, output: Output): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** A mistake in the command line: exit 2, with a pointer to the verb's --help. */
export class UsageError extends Error {}

function optionsOf(command: Pick<Command, 'options' | 'project'>): NonNullable<ParseArgsConfig['options']> {
  return {
    ...command.options,
    ...(command.project ? { project: { type: 'string' } } : {}),
    help: { type: 'boolean', short: 'h' },
  };
}

/** Node's own message for an unknown option suggests `-- "--flag"` (a positional), which no verb wants: name the flag. */
function unknownOption(options: NonNullable<ParseArgsConfig['options']>, argv: string[]): string | undefined {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const known = new Set(Object.entries(options).flatMap(([name, o]) => [name, ...(o.short ? [o.short] : [])]));
  const unknown = tokens.find((t) => t.kind === 'option' && !known.has(t.name));
  return unknown?.kind === 'option' ? unknown.rawName : undefined;
}

export function parseCommandArgs(command: Pick<Command, 'options' | 'project'>, argv: string[]): ParsedArgs {
  const options = optionsOf(command);
  const unknown = unknownOption(options, argv);
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
