import { readFileSync } from 'node:fs';
import { tarEntryHeader } from '@dockyard/oci';
import { paddingFor } from '@dockyard/oci';

function entry(path: string, data: Buffer, mode = 0o755): Buffer {
  return Buffer.concat([
    tarEntryHeader({ path, type: 'file', mode, content: data }),
    data,
    Buffer.alloc(paddingFor(data.length)),
  ]);
}

function symlinkEntry(path: string, linkpath: string): Buffer {
  return tarEntryHeader({ path, type: 'symlink', linkpath });
}

/** An uncompressed rootfs tar: Debian's static busybox at /bin/busybox, /bin/sh and /bin/echo linked to it. */
export function busyboxRootfsTar(): Buffer {
  const busybox = readFileSync('/bin/busybox');
  return Buffer.concat([
    tarEntryHeader({ path: 'bin/', type: 'directory' }),
    entry('bin/busybox', busybox),
    symlinkEntry('bin/sh', 'busybox'),
    symlinkEntry('bin/echo', 'busybox'),
    symlinkEntry('bin/cat', 'busybox'),
    Buffer.alloc(1024),
  ]);
}
