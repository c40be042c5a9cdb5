import { DockyardError } from '@dockyard/errors';

/** What the new root filesystem keeps of the base's, so the bootloader, fstab and the kernel still find it. */
export interface Ext4Parameters {
  uuid: string;
  label: string;
  /** The directory hash seed: fixed, so htree directories hash the same in every build. */
  hashSeed: string;
  blockSize: number;
  inodeSize: number;
  /** Only the base's features, so an older guest kernel mounts what a newer mke2fs writes. */
  features: string[];
}

/** Features that describe a state of the filesystem (a journal to replay), not a choice at creation. */
const TRANSIENT = new Set(['needs_recovery', 'orphan_present']);

/** Reads `dumpe2fs -h` output. */
export function parseExt4Parameters(text: string, where: string): Ext4Parameters {
  const field = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const need = (name: string): string => {
    const value = field(name);
    if (value === undefined)
      throw new DockyardError(`${where}: the root filesystem states no "${name}" (not ext2/3/4?)`, {
        code: 'VM_ROOT_FILESYSTEM',
        hint: 'the base image must have an ext4 root filesystem',
      });
    return value;
  };
  const label = field('Filesystem volume name') ?? '';
  return {
    uuid: need('Filesystem UUID'),
    label: label === '<none>' ? '' : label,
    hashSeed: need('Directory Hash Seed'),
    blockSize: Number(need('Block size')),
    inodeSize: Number(need('Inode size')),
    features: need('Filesystem features')
      .split(/\s+/)
      .filter((f) => f && !TRANSIENT.has(f)),
  };
}
