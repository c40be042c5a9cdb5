import { describe, expect, it } from 'vitest';
import { resizedRootSize, resizedTableScript } from './disk-size';
import type { PartitionTable } from './partitions';

const MiB = 1 << 20;
const table = (label: 'dos' | 'gpt'): PartitionTable => ({
  label,
  sectorSize: 512,
  partitions: [
    { number: 1, offset: 1 * MiB, size: 4 * MiB, type: '83' },
    { number: 2, offset: 5 * MiB, size: 59 * MiB, type: '83' },
  ],
});
const root = table('dos').partitions[1]!;

describe('resizedRootSize', () => {
  it('ends the root partition at the disk end, before the backup GPT on a GPT disk, growing or shrinking', () => {
    expect(resizedRootSize(table('dos'), root, 96 * MiB, 'disk')).toBe(91 * MiB);
    expect(resizedRootSize(table('gpt'), root, 96 * MiB, 'disk')).toBe(90 * MiB);
    expect(resizedRootSize(table('dos'), root, 32 * MiB, 'disk')).toBe(27 * MiB);
  });

  it('refuses a partition after the root, a size leaving the root under 16 MiB, and a size not in MiB', () => {
    const swapAfter: PartitionTable = {
      ...table('dos'),
      partitions: [...table('dos').partitions, { number: 3, offset: 64 * MiB, size: MiB, type: '82' }],
    };
    expect(() => resizedRootSize(swapAfter, root, 96 * MiB, 'disk')).toThrow(
      /disk: partition 3 lies after the root partition 2, so the disk cannot be resized/,
    );
    expect(() => resizedRootSize(table('dos'), root, 20 * MiB, 'disk')).toThrow(
      /a 20 MiB disk leaves the root partition, which starts at 5 MiB, under 16 MiB/,
    );
    expect(() => resizedRootSize(table('dos'), root, 96 * MiB + 512, 'disk')).toThrow(/not a whole number of MiB/);
  });
});

describe('resizedTableScript', () => {
  const dump = [
    'label: gpt',
    'label-id: 11111111-2222-3333-4444-555555555555',
    'device: disk.raw',
    'unit: sectors',
    'first-lba: 34',
    'last-lba: 131038',
    'sector-size: 512',
    '',
    'disk.raw1 : start=        2048, size=        8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=AAAA, name="EFI"',
    'disk.raw2 : start=       10240, size=      120799, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=BBBB',
    '',
  ].join('\n');

  it('rewrites the root partition size only, and leaves the device and last LBA to sfdisk', () => {
    expect(resizedTableScript(dump, root, 512, 90 * MiB)).toBe(
      [
        'label: gpt',
        'label-id: 11111111-2222-3333-4444-555555555555',
        'unit: sectors',
        'first-lba: 34',
        'sector-size: 512',
        '',
        'disk.raw1 : start=        2048, size=        8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=AAAA, name="EFI"',
        'disk.raw2 : start=       10240, size=184320, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=BBBB',
        '',
      ].join('\n'),
    );
  });

  it('says so when no partition starts where the root does', () => {
    expect(() => resizedTableScript(dump, { ...root, offset: 6 * MiB }, 512, MiB)).toThrow(
      /no partition starting at sector 12288/,
    );
  });
});
