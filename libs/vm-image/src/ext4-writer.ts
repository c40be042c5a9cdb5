import { open, rm, writeFile } from 'node:fs/promises';
import { DockyardError } from '@dockyard/errors';
import type { Ext4Parameters } from './ext4-parameters';
import { clampTreeTimes, listTree } from './tree-times';
import { runTool } from './tools';

const MiB = 1 << 20;

/** What the files of the tree take, in MiB (rounded up), for the message when they do not fit. */
async function treeMiB(tree: string): Promise<number> {
  return Number((await runTool('du', ['-s', '-m', '--apparent-size', tree])).split(/\s/)[0]);
}

export interface WriteExt4Request {
  tree: string;
  /** The filesystem image file to write (created or replaced). */
  out: string;
  size: number;
  parameters: Ext4Parameters;
  epoch: number;
}

/** The debugfs script that sets each inode's change time, which mke2fs -d copies from the host, to `epoch`. */
export function changeTimeScript(paths: readonly string[], epoch: number): string {
  return paths
    .map((path) => {
      if (/["\n\\]/.test(path))
        throw new DockyardError(`/${path}: a file name with a quote, backslash or newline cannot be written`, {
          code: 'VM_TREE_NAME',
        });
      const quoted = `"/${path}"`;
      return `sif ${quoted} ctime @${epoch}\nsif ${quoted} ctime_extra 0\n`;
    })
    .join('');
}

/**
 * Writes `tree` as an ext4 filesystem in one pass (`mke2fs -d`: no mount, no VM), reproducibly: the base's UUID,
 * label, hash seed, block and inode sizes and features; mke2fs's clock fixed at `epoch` (E2FSPROGS_FAKE_TIME) for
 * the superblock and creation times; every file time clamped to `epoch`; mke2fs adds entries in sorted order; and,
 * because mke2fs copies each inode's change time from the host (which cannot be set there), a debugfs pass
 * that sets them all to `epoch`.
 */
export async function writeExt4(request: WriteExt4Request): Promise<void> {
  const { parameters: p, epoch } = request;
  const paths = await listTree(request.tree);
  await clampTreeTimes(request.tree, paths, epoch);
  await rm(request.out, { force: true });
  const file = await open(request.out, 'w');
  await file.truncate(request.size);
  await file.close();
  const env = { ...process.env, E2FSPROGS_FAKE_TIME: String(epoch), MKE2FS_CONFIG: '/dev/null' };
  try {
    await runTool(
      'mke2fs',
      [
        '-q',
        '-F',
        '-t',
        'ext4',
        '-O',
        ['none', ...p.features].join(','),
        '-b',
        String(p.blockSize),
        '-I',
        String(p.inodeSize),
        '-U',
        p.uuid,
        '-L',
        p.label,
        '-E',
        `hash_seed=${p.hashSeed},root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0`,
        '-d',
        request.tree,
        request.out,
      ],
      { env },
    );
  } catch (err) {
    if (err instanceof DockyardError && /Could not allocate (block|inode)/.test(err.message))
      throw new DockyardError(
        `the customised root filesystem (${await treeMiB(request.tree)} MiB of files) does not fit in its ${Math.floor(request.size / MiB)} MiB partition`,
        { code: 'VM_ROOT_TOO_SMALL', hint: 'give the image a larger disk size, or install fewer packages', cause: err },
      );
    throw err;
  }
  const script = `${request.out}.debugfs`;
  await writeFile(script, changeTimeScript(paths, epoch));
  try {
    await runTool('debugfs', ['-w', '-f', script, request.out], { env });
  } finally {
    await rm(script, { force: true });
  }
}
