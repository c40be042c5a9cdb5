import { describe, expect, it } from 'vitest';
import { parsePartitionTable, rootPartition } from './partitions';

const json = (label: string, partitions: object[]) =>
  JSON.stringify({ partitiontable: { label, sectorsize: 512, partitions } });

describe('partition tables', () => {
  it('picks the largest Linux partition as the root, in bytes', () => {
    const table = parsePartitionTable(
      json('dos', [
        { node: 'disk.raw1', start: 2048, size: 2048, type: '83' },
        { node: 'disk.raw2', start: 4096, size: 8192, type: '83' },
        { node: 'disk.raw3', start: 12288, size: 20000, type: '82' },
      ]),
      'disk.raw',
    );
    expect(rootPartition(table, 'disk.raw')).toEqual({ number: 2, offset: 4096 * 512, size: 8192 * 512, type: '83' });
  });

  it('names the image when it has no Linux partition or an unknown table', () => {
    const swapOnly = parsePartitionTable(json('gpt', [{ node: 'd1', start: 34, size: 10, type: 'x' }]), 'disk.raw');
    expect(() => rootPartition(swapOnly, 'disk.raw')).toThrow(/disk.raw: no Linux filesystem partition in its gpt/);
    expect(() => parsePartitionTable(json('sun', []), 'disk.raw')).toThrow(/neither MBR \(dos\) nor GPT/);
  });
});
