import { readFileSync } from 'node:fs';
import { paddingFor, tarHeader } from '../../../libs/oci/src/tarball/tar-header';

function entry(name: string, data: Buffer, mode = 0o755): Buffer {
  return Buffer.concat([tarHeader(name, data.length, { mode }), data, Buffer.alloc(paddingFor(data.length))]);
}

function symlinkEntry(name: string, target: string): Buffer {
  const header = tarHeader(name, 0, { mode: 0o777 });
  header.write('2', 156, 1, 'ascii');
  header.write(target, 157, 100, 'utf8');
  header.write('        ', 148, 8, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/** An uncompressed rootfs tar: Debian's static busybox at /bin/busybox, /bin/sh and /bin/echo linked to it. */
export function busyboxRootfsTar(): Buffer {
  const busybox = readFileSync('/bin/busybox');
  return Buffer.concat([
    tarHeader('bin/', 0, { type: '5' }),
    entry('bin/busybox', busybox),
    symlinkEntry('bin/sh', 'busybox'),
    symlinkEntry('bin/echo', 'busybox'),
    symlinkEntry('bin/cat', 'busybox'),
    Buffer.alloc(1024),
  ]);
}
