import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { runTool } from './tools';
import type { Partition } from './partitions';

/** The base qcow2 as a raw disk image (sparse), which the partition and filesystem tools read directly. */
export async function qcow2ToRaw(qcow2: string, raw: string): Promise<void> {
  await runTool('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', qcow2, raw]);
}

/**
 * The raw image as a compressed qcow2, deterministically: one coroutine (`-m 1`, so clusters are written in disk
 * order), zlib, no timestamps (qcow2 has none).
 */
export async function rawToCompressedQcow2(raw: string, qcow2: string): Promise<void> {
  await runTool('qemu-img', [
    'convert',
    '-f',
    'raw',
    '-O',
    'qcow2',
    '-c',
    '-m',
    '1',
    '-o',
    'compression_type=zlib,cluster_size=65536',
    raw,
    qcow2,
  ]);
}

/** Copies one partition's bytes out of a disk image into a file of their own. */
export async function copyPartitionOut(raw: string, partition: Partition, out: string): Promise<void> {
  await pipeline(
    createReadStream(raw, { start: partition.offset, end: partition.offset + partition.size - 1 }),
    createWriteStream(out),
  );
}

/** Writes a filesystem image into a partition of a disk image, in place; it must be the partition's size. */
export async function copyPartitionIn(raw: string, partition: Partition, filesystem: string): Promise<void> {
  await pipeline(createReadStream(filesystem), createWriteStream(raw, { flags: 'r+', start: partition.offset }));
}

/**
 * The filesystem's tree copied into `dest` as it is — owners, modes, hard links, device nodes, extended attributes
 * (SELinux labels, file capabilities) — through a read-only loop mount. Reading the image with debugfs's rdump
 * would need no mount but drops extended attributes, hard links and special files.
 */
export async function copyFilesystemTree(filesystem: string, dest: string): Promise<void> {
  const mountPoint = `${dest}.mnt`;
  await mkdir(mountPoint, { recursive: true });
  await mkdir(dest, { recursive: true });
  await runTool('mount', ['-o', 'loop,ro', filesystem, mountPoint]);
  try {
    await runTool('cp', ['-a', '--preserve=all', `${mountPoint}/.`, dest]);
  } finally {
    await runTool('umount', [mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  }
}
