import { DockyardError } from '@dockyard/errors';
import { runTool } from './tools';

export interface Partition {
  /** 1-based, as the kernel numbers them. */
  number: number;
  /** Byte offset and length in the disk image. */
  offset: number;
  size: number;
  type: string;
}

export interface PartitionTable {
  label: 'dos' | 'gpt';
  /** Bytes per sector, the unit of sfdisk's starts and sizes. */
  sectorSize: number;
  partitions: Partition[];
}

const LINUX_TYPES = new Set(['83', '0FC63DAF-8483-4772-8E79-3D69D8477DE4']);

interface SfdiskJson {
  partitiontable: {
    label: string;
    sectorsize?: number;
    partitions?: { node: string; start: number; size: number; type: string }[];
  };
}

/** The partition table of a raw disk image, from `sfdisk --json` (no loop device, no kernel). */
export function parsePartitionTable(json: string, where: string): PartitionTable {
  const table = (JSON.parse(json) as SfdiskJson).partitiontable;
  if (table.label !== 'dos' && table.label !== 'gpt')
    throw new DockyardError(`${where}: partition table "${table.label}" is neither MBR (dos) nor GPT`, {
      code: 'VM_DISK_LAYOUT',
    });
  const sector = table.sectorsize ?? 512;
  const partitions = (table.partitions ?? []).map((p) => ({
    number: Number(/(\d+)$/.exec(p.node)?.[1]),
    offset: p.start * sector,
    size: p.size * sector,
    type: p.type.toUpperCase(),
  }));
  return { label: table.label, sectorSize: sector, partitions };
}

export async function readPartitionTable(rawImage: string): Promise<PartitionTable> {
  return parsePartitionTable(await runTool('sfdisk', ['--json', rawImage]), rawImage);
}

/**
 * The root filesystem's partition: the largest Linux-data partition (openEuler's images have a small `/boot`
 * or EFI partition beside one root partition, no LVM).
 */
export function rootPartition(table: PartitionTable, where: string): Partition {
  const linux = table.partitions.filter((p) => LINUX_TYPES.has(p.type));
  const root = linux.sort((a, b) => b.size - a.size)[0];
  if (!root)
    throw new DockyardError(`${where}: no Linux filesystem partition in its ${table.label} partition table`, {
      code: 'VM_DISK_LAYOUT',
      hint: 'the base image must hold its root filesystem in a plain partition (no LVM)',
    });
  return root;
}
