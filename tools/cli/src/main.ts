import { verbs } from './commands';
import { parseCommandArgs, UsageError } from './command';

function overview(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    'Usage: dockyard <command> [options]',
    '',
    'Declarative release engineering: validate, resolve, collect, sync and bundle the',
    'projects described by project.yaml files.',
    '',
    'Commands:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `dockyard <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(overview());
    return verb ? 0 : 2;
  }
  const known = verbs.find((v) => v.name === verb);
  if (!known) {
    console.error(`dockyard: unknown command "${verb}"\n\n${overview()}`);
    return 2;
  }
  const command = await known.load();
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      console.log(command.usage);
      return 0;
    }
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`dockyard ${verb}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
