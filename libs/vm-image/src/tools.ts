import { execFile } from 'node:child_process';
import { DockyardError } from '@dockyard/errors';

/** The Debian package of each program the engine runs, for the message when one is missing. */
const PACKAGE_OF: Record<string, string> = {
  xz: 'xz-utils',
  'qemu-img': 'qemu-utils',
  sfdisk: 'fdisk',
  mke2fs: 'e2fsprogs',
  debugfs: 'e2fsprogs',
  dumpe2fs: 'e2fsprogs',
  dnf: 'dnf',
  rpm: 'rpm',
  mount: 'mount',
  umount: 'mount',
  cp: 'coreutils',
  du: 'coreutils',
  tar: 'tar',
  gzip: 'gzip',
  mformat: 'mtools',
  mcopy: 'mtools',
};

export interface ToolOptions {
  env?: NodeJS.ProcessEnv;
  /** Text written to the program's standard input. */
  input?: string;
}

/**
 * Runs `tool` and returns its standard output. A program that is not installed, or that fails, is a
 * DockyardError naming the command and the tail of what it wrote to stderr.
 */
export function runTool(tool: string, args: readonly string[], options: ToolOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      tool,
      args,
      { env: options.env ?? process.env, maxBuffer: 256 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(
            new DockyardError(`${tool} is not installed`, {
              code: 'VM_TOOL_MISSING',
              hint: `install the Debian package ${PACKAGE_OF[tool] ?? tool}`,
              cause: err,
            }),
          );
        const tail = `${stderr}`.trim().split('\n').slice(-12).join('\n');
        reject(
          new DockyardError(`${tool} ${args.join(' ')} failed: ${tail || err.message}`, {
            code: 'VM_TOOL_FAILED',
            cause: err,
          }),
        );
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
