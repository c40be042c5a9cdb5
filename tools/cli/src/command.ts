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

/** A verb's options without one that does nothing for it (shared option sets are written for several verbs). */
export function withoutOption(options: Command['options'], name: string): Command['options'] {
  return Object.fromEntries(Object.entries(options).filter(([option]) => option !== name));
}

/** An options list of a help text without the entry of `--name` and the lines that continue it. */
export function withoutOptionHelp(help: string, name: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`--${name} `));
  if (start < 0) return help;
  let end = start + 1;
  while (end < lines.length && !lines[end]!.trimStart().startsWith('-')) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}
