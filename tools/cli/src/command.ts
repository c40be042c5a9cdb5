import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One CLI verb. `run` returns the process exit code; user mistakes are printed, not thrown. */
export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export class UsageError extends Error {}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${command.usage}`);
  }
}
