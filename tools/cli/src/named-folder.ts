import { makeDirectory } from '@dockyard/files';
import { UsageError } from './command';

/**
 * A folder the user named with `--FLAG DIR`, created now: a path that cannot hold one (under /proc, below a file)
 * fails here, named with its flag, instead of deep inside an engine (where Node's recursive mkdir spins on /proc).
 */
export async function namedFolder(flag: string, path: string): Promise<string> {
  try {
    await makeDirectory(path);
    return path;
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new UsageError(
      `--${flag} ${path}: cannot create this folder (${code ?? message}); name a folder you can write to`,
    );
  }
}
