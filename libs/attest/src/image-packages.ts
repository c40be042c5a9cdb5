import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { decompressed, type Image, type Layer } from '@dockyard/oci';
import { readPackageDatabases, type PackageListing } from './package-db';

/** The files of a rootfs that hold its package databases (paths without a leading slash). */
const DATABASE_FILES = new Set([
  'var/lib/dpkg/status',
  ...['usr/lib/sysimage/rpm', 'var/lib/rpm'].flatMap((dir) =>
    ['rpmdb.sqlite', 'Packages', 'Packages.db'].map((file) => `${dir}/${file}`),
  ),
]);

function normalized(path: string): string {
  return posix.normalize(path).replace(/^(\.\/|\/)+/, '');
}

/** Whether a whiteout entry at `path` (`.wh.NAME`, or `.wh..wh..opq` for a whole folder) hides `file`. */
function hides(path: string, file: string): boolean {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  if (base === '.wh..wh..opq') return file.startsWith(`${dir}/`);
  const hidden = posix.join(dir, base.slice('.wh.'.length));
  return file === hidden || file.startsWith(`${hidden}/`);
}

/** Applies one layer to `rootfs`, for the database files only: written when present, removed when whited out. */
async function applyLayer(layer: Layer, rootfs: string): Promise<void> {
  const media = layer.descriptor.mediaType;
  const body = await layer.open();
  const input = media.includes('zstd') ? decompressed(body, 'zstd') : body;
  // One change after another, in the layer's order: a whiteout and a file written again are not raced.
  let changes: Promise<unknown> = Promise.resolve();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const path = normalized(entry.path);
      if (posix.basename(path).startsWith('.wh.')) {
        for (const file of DATABASE_FILES)
          if (hides(path, file)) changes = changes.then(() => rm(join(rootfs, file), { force: true }));
      } else if (DATABASE_FILES.has(path) && (entry.type === 'File' || entry.type === 'OldFile')) {
        const target = join(rootfs, path);
        const write = () =>
          mkdir(dirname(target), { recursive: true }).then(() => pipeline(entry, createWriteStream(target)));
        // An earlier change that failed leaves this entry unread; drained, the parser reaches the end and reports.
        changes = changes.then(write, (err: unknown) => {
          entry.resume();
          throw err;
        });
        return;
      }
      entry.resume();
    },
  });
  await pipeline(input, parser);
  await changes;
}

/**
 * The packages an image's own package databases list: its layers applied in order, keeping only the database
 * files, and those read as a rootfs would be.
 */
export async function imagePackages(image: Image): Promise<PackageListing> {
  const rootfs = await mkdtemp(join(tmpdir(), 'dockyard-image-packages-'));
  try {
    for (const layer of image.layers) await applyLayer(layer, rootfs);
    return await readPackageDatabases(rootfs);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}
