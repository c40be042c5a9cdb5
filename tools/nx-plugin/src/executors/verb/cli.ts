import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Main from '../../../../cli/src/main';
import type * as Output from '../../../../cli/src/output';

const CLI_DIR = join(__dirname, '..', '..', '..', '..', 'cli');

/**
 * The CLI's own code, loaded as tools/cli/bin/dockyard.cjs loads its sources: through bin/register-ts.cjs, which
 * compiles the verbs' lazy `import('./resolve.ts')` to require. Nx's TypeScript loader, which loaded this executor,
 * leaves dynamic imports to Node, and Node cannot run TypeScript.
 */
export function loadCli(): Pick<typeof Main, 'runVerb'> & Pick<typeof Output, 'capturedOutput' | 'consoleOutput'> {
  const load = createRequire(__filename);
  load(join(CLI_DIR, 'bin', 'register-ts.cjs'));
  const { runVerb } = load(join(CLI_DIR, 'src', 'main.ts')) as typeof Main;
  const { capturedOutput, consoleOutput } = load(join(CLI_DIR, 'src', 'output.ts')) as typeof Output;
  return { runVerb, capturedOutput, consoleOutput };
}
