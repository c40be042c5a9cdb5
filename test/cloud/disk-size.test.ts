import { execFile } from 'node:child_process';
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPartitionTable, resizeDisk, rootPartition, sha256OfFile } from '@dockyard/vm-image';
import { ensureTools } from '../support/require-tool';
import { tempDirFor } from '../support/tmp';

const run = promisify(execFile);
const MiB = 1 << 20;
let work = '';

beforeAll(async () => {
  await ensureTools(['sfdisk']);
  work = await tempDirFor(afterAll, 'disk-size');
});

/** A 64 MiB GPT disk shaped like openEuler's arm64 image (EFI first, root last) with boot code in the MBR. */
async function gptDisk(name: string): Promise<string> {
  const disk = join(work, name);
  await writeFile(disk, '');
  await truncate(disk, 64 * MiB);
  const layout = [
    'label: gpt',
    'label-id: 11111111-2222-4333-8444-555555555555',
    'start=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=AAAAAAAA-2222-4333-8444-555555555555, name="EFI"',
    'start=10240, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=BBBBBBBB-2222-4333-8444-555555555555, name="root"',
    '',
  ].join('\n');
  await new Promise<void>((resolve, reject) => {
    const child = execFile('sfdisk', ['-q', disk], (err) => (err ? reject(err) : resolve()));
    child.stdin?.end(layout);
  });
  const file = await open(disk, 'r+');
  await file.write(Buffer.alloc(440, 0xeb), 0, 440, 0);
  await file.close();
  return disk;
}

describe('resizeDisk on a GPT disk', () => {
  it('grows and shrinks it, the root partition ending before the backup GPT, identifiers and boot code kept, the same bytes twice', async () => {
    for (const [size, rootSize] of [
      [96 * MiB, 90 * MiB],
      [32 * MiB, 26 * MiB],
    ]) {
      const [a, b] = [await gptDisk(`a-${size}`), await gptDisk(`b-${size}`)];
      for (const disk of [a, b]) {
        const resized = await resizeDisk(disk, rootPartition(await readPartitionTable(disk), disk), size!, disk);
        expect(resized).toMatchObject({ number: 2, offset: 5 * MiB, size: rootSize });
      }
      expect((await stat(a)).size).toBe(size);
      expect(await sha256OfFile(a)).toBe(await sha256OfFile(b));
      const { stdout } = await run('sfdisk', ['--dump', a]);
      expect(stdout).toContain('label-id: 11111111-2222-4333-8444-555555555555');
      expect(stdout).toMatch(/start= +2048, size= +8192, .*uuid=AAAAAAAA-2222-4333-8444-555555555555, name="EFI"/);
      expect(stdout).toMatch(
        new RegExp(
          `start= +10240, size= +${rootSize! / 512}, .*uuid=BBBBBBBB-2222-4333-8444-555555555555, name="root"`,
        ),
      );
      // sfdisk finds nothing to warn about (the PMBR size and the backup GPT both match the new size).
      const verify = await run('sfdisk', ['--verify', a]);
      expect(verify.stderr).toBe('');
      expect((await readFile(a)).subarray(0, 440).every((byte) => byte === 0xeb)).toBe(true);
    }
  });
});
