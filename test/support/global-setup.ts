import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepAbandonedRunDirs } from './abandoned-run-dirs';
import { ensurePackages } from './require-tool';

/** The Debian packages the real-service suites need; scripts/test.sh reads the same file. */
export const suitePackagesFile = join(__dirname, 'debian-packages.txt');

/**
 * vitest globalSetup: a fresh machine with only Node + npm gets the real services'
 * packages, and a machine reused across runs loses the service dirs of killed runs.
 */
export default async function setup(): Promise<void> {
  const packages = readFileSync(suitePackagesFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  await ensurePackages(packages);
  await sweepAbandonedRunDirs();
}
