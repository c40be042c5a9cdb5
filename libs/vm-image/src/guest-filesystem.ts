import { execFile } from 'node:child_process';
import { DockyardError } from '@dockyard/errors';

export interface GuestEntry {
  name: string;
  /** The inode mode as debugfs prints it (octal), e.g. 100644 for a file, 40755 for a folder. */
  mode: number;
  size: number;
}

/** Reads files of an ext4 filesystem image with debugfs: no mount, no root, no VM. */
export class GuestFilesystem {
  constructor(readonly image: string) {}

  private debugfs(request: string): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        'debugfs',
        ['-R', request, this.image],
        { maxBuffer: 64 << 20, encoding: 'latin1' },
        (err, stdout, stderr) => {
          if (err)
            return reject(
              new DockyardError(`debugfs -R '${request}' ${this.image} failed: ${stderr.trim() || err.message}`, {
                code: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'VM_TOOL_MISSING' : 'VM_TOOL_FAILED',
                hint: 'install the Debian package e2fsprogs',
                cause: err,
              }),
            );
          resolve({ stdout, stderr });
        },
      );
    });
  }

  /** The file's text, or undefined when there is no such file. */
  async read(path: string): Promise<string | undefined> {
    const { stdout, stderr } = await this.debugfs(`cat "${path}"`);
    return /not found|File not found/i.test(stderr) ? undefined : Buffer.from(stdout, 'latin1').toString('utf8');
  }

  /** The folder's entries (without `.` and `..`), or undefined when there is no such folder. */
  async list(path: string): Promise<GuestEntry[] | undefined> {
    const { stdout, stderr } = await this.debugfs(`ls -p "${path}"`);
    if (/not found/i.test(stderr)) return undefined;
    return stdout
      .split('\n')
      .map((line) => line.split('/'))
      .filter((f) => f.length >= 7 && f[5] !== '.' && f[5] !== '..')
      .map((f) => ({ name: f[5]!, mode: parseInt(f[2]!, 8), size: Number(f[6]) }));
  }

  /** Copies one file out (for tools that read it themselves, like rpm its database). */
  async dump(path: string, out: string): Promise<void> {
    const { stderr } = await this.debugfs(`dump "${path}" "${out}"`);
    if (/not found/i.test(stderr))
      throw new DockyardError(`${this.image}: ${path} is not there`, { code: 'VM_GUEST_FILE' });
  }
}

export const isFolder = (entry: GuestEntry) => (entry.mode & 0o170000) === 0o040000;
