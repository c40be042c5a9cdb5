import { truncate } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';
import { readPartitionTable, type Partition, type PartitionTable } from './partitions';
import { runTool } from './tools';

const MiB = 1 << 20;
/** The backup GPT at the disk's end: its header and a 128-entry partition array. */
const GPT_BACKUP_BYTES = 33 * 512;

/**
 * The root partition's size in bytes on a disk of `diskSize` bytes: it keeps its start and ends at the last whole
 * MiB before the disk's end (before the backup GPT on a GPT disk), so the filesystem written into it fills it.
 * Growing and shrinking alike: the filesystem is written anew, so only what the tree holds must fit.
 */
export function resizedRootSize(table: PartitionTable, root: Partition, diskSize: number, where: string): number {
  if (diskSize % MiB !== 0)
    throw new DockyardError(`${where}: a disk size of ${diskSize} bytes is not a whole number of MiB`, {
      code: 'VM_DISK_SIZE',
    });
  const after = table.partitions.find((p) => p.number !== root.number && p.offset >= root.offset + root.size);
  if (after)
    throw new DockyardError(
      `${where}: partition ${after.number} lies after the root partition ${root.number}, so the disk cannot be resized`,
      { code: 'VM_DISK_LAYOUT', hint: 'leave the disk size unset for this base image (it keeps the base size)' },
    );
  const usableEnd = diskSize - (table.label === 'gpt' ? GPT_BACKUP_BYTES : 0);
  const end = Math.floor(usableEnd / MiB) * MiB;
  if (end - root.offset < 16 * MiB)
    throw new DockyardError(
      `${where}: a ${diskSize / MiB} MiB disk leaves the root partition, which starts at ${root.offset / MiB} MiB, under 16 MiB`,
      { code: 'VM_DISK_SIZE', hint: 'give the disk a larger size' },
    );
  return end - root.offset;
}

/**
 * `sfdisk --dump` rewritten for the resized disk: the root partition (found by its start sector) with its new size,
 * and without the `device:` and `last-lba:` lines, which sfdisk derives from the resized file. Everything else — the
 * disk identifier, each partition's start, type, GUID, name, attributes and boot flag — is written back as it was.
 */
export function resizedTableScript(dump: string, root: Partition, sectorSize: number, rootSize: number): string {
  const start = root.offset / sectorSize;
  let found = false;
  const lines = dump
    .split('\n')
    .filter((line) => !/^(device|last-lba):/.test(line))
    .map((line) => {
      if (!new RegExp(`:\\s*start=\\s*${start},`).test(line)) return line;
      found = true;
      return line.replace(/size=\s*\d+/, `size=${rootSize / sectorSize}`);
    });
  if (!found)
    throw new DockyardError(`the partition table dump has no partition starting at sector ${start}`, {
      code: 'VM_DISK_LAYOUT',
    });
  return lines.join('\n');
}

/**
 * Sets the raw disk image to `diskSize` bytes with the root partition ending at its end, in place: the partition
 * table is written again from its own dump (sfdisk keeps the MBR boot code, the disk and partition identifiers, and
 * wipes nothing), so the same disk and size give the same bytes. Returns the resized root partition.
 */
export async function resizeDisk(raw: string, root: Partition, diskSize: number, where: string): Promise<Partition> {
  const table = await readPartitionTable(raw);
  const rootSize = resizedRootSize(table, root, diskSize, where);
  const script = resizedTableScript(await runTool('sfdisk', ['--dump', raw]), root, table.sectorSize, rootSize);
  await truncate(raw, diskSize);
  await runTool(
    'sfdisk',
    ['-q', '--no-reread', '--no-tell-kernel', '--wipe', 'never', '--wipe-partitions', 'never', raw],
    {
      input: script,
    },
  );
  const resized = (await readPartitionTable(raw)).partitions.find((p) => p.number === root.number);
  if (!resized || resized.size !== rootSize)
    throw new DockyardError(`${where}: sfdisk did not resize the root partition ${root.number} to ${rootSize} bytes`, {
      code: 'VM_DISK_LAYOUT',
    });
  return resized;
}
