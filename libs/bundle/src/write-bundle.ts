import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkedPath, forgetTemp, processIsAlive, tempPathFor, trackTemp } from '@dockyard/files';
import { PATH_RULES } from '@dockyard/project-spec';
import { compressionOf, compressor, planTar, sortTarEntries, tarStream, type TarEntry } from '@dockyard/oci';
import { INVENTORY_FILE } from './inventory';
import { OffThreadSha256 } from './off-thread-hash';
import { DockyardError } from '@dockyard/errors';

export const SHA256SUMS_FILE = 'sha256sums.txt';

/** A file placed in the bundle's top folder. */
export type BundleItem =
  | { path: string; file: string; mode?: number }
  | { path: string; bytes: Buffer; mode?: number }
  /** A nested tar (the image payload, a docker archive); compressed as its name says. */
  | { path: string; tar: TarEntry[] };

export interface BundleLayout {
  /** The final archive; compression from its name. */
  output: string;
  /** The single top folder, e.g. compass-component-v2.7.0. */
  top: string;
  mtime: number;
  items: BundleItem[];
  inventory: Buffer;
  /** Also hash the archive as it is written (for a bundle kept in a content store by its digest). */
  hashArchive?: boolean;
}

export interface WrittenBundle {
  file: string;
  size: number;
  files: { path: string; sha256: string; size: number }[];
  /** The archive's `sha256:` digest, when the layout asked for it. */
  digest?: string;
}

/** Work folders of killed runs (`.work-<pid>`) are removed; a running bundle's are left alone. */
async function freshWorkDir(outputDir: string): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  for (const name of await readdir(outputDir)) {
    const pid = /^\.work-(\d+)$/.exec(name)?.[1];
    if (pid && !processIsAlive(Number(pid))) await rm(join(outputDir, name), { recursive: true, force: true });
  }
  const dir = join(outputDir, `.work-${process.pid}`);
  await mkdir(dir, { recursive: true });
  // Removed on SIGINT/SIGTERM like the archive's temp file: an interrupted bundle leaves neither.
  trackTemp(dir);
  return dir;
}

/** Writes a compressed nested tar into the work folder; its bytes are then copied into the bundle as one file. */
async function materialize(path: string, entries: TarEntry[], workDir: string): Promise<string> {
  const file = join(workDir, `${basename(path)}.${createHash('sha256').update(path).digest('hex').slice(0, 8)}`);
  await pipeline(tarStream(sortTarEntries(entries)), compressor(compressionOf(path)), createWriteStream(file));
  return file;
}

interface Planned {
  path: string;
  size: number;
  mode?: number;
  open: () => Readable | Buffer;
}

async function planItem(item: BundleItem, workDir: string): Promise<Planned> {
  if ('bytes' in item) return { path: item.path, size: item.bytes.length, mode: item.mode, open: () => item.bytes };
  if ('file' in item) {
    const size = (await stat(item.file)).size;
    return {
      path: item.path,
      size,
      mode: item.mode,
      open: () => createReadStream(item.file, { highWaterMark: 1 << 20 }),
    };
  }
  if (compressionOf(item.path) === 'none') {
    const entries = sortTarEntries(item.tar);
    return { path: item.path, size: planTar(entries).size, open: () => tarStream(entries) };
  }
  const file = await materialize(item.path, item.tar, workDir);
  return {
    path: item.path,
    size: (await stat(file)).size,
    open: () => createReadStream(file, { highWaterMark: 1 << 20 }),
  };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));
}

/**
 * Writes the bundle: one top folder (none for a plugin package) holding inventory.json first (so a reader streaming the
 * archive knows every image before the payload arrives), the items in byte order of their
 * paths, and sha256sums.txt last (`sha256sum -c` format, every file but itself). Every entry
 * has the same mtime, uid/gid 0 and no user names; the archive is written to a temp file and
 * renamed into place, so a killed run leaves nothing at the final path.
 */
export async function writeBundle(layout: BundleLayout): Promise<WrittenBundle> {
  const outputDir = dirname(layout.output);
  const workDir = await freshWorkDir(outputDir);
  const temp = tempPathFor(layout.output);
  const workers: OffThreadSha256[] = [];
  try {
    const planned = [{ path: INVENTORY_FILE, size: layout.inventory.length, open: () => layout.inventory } as Planned];
    for (const item of [...layout.items].sort(byPath)) {
      checkedPath(item.path, ['bundle member'], PATH_RULES.bundleMember);
      planned.push(await planItem(item, workDir));
    }
    const paths = new Set<string>();
    for (const p of [...planned, { path: SHA256SUMS_FILE }]) {
      if (paths.has(p.path))
        throw new DockyardError(`two bundle files have the same path ${p.path}`, { code: 'BUNDLE_PATH_CLASH' });
      paths.add(p.path);
    }
    const hashes = new Map<string, string>();
    const hashed: Promise<void>[] = [];
    const sumsSize = planned.reduce((total, p) => total + 64 + 2 + Buffer.byteLength(p.path) + 1, 0);
    const sums = () =>
      Buffer.from(
        planned
          .map((p) => `${hashes.get(p.path)}  ${p.path}\n`)
          .sort((a, b) => byPath({ path: a.slice(66) }, { path: b.slice(66) }))
          .join(''),
      );

    const prefix = layout.top ? `${layout.top}/` : '';
    const entries: TarEntry[] = layout.top ? [{ path: prefix, type: 'directory', mtime: layout.mtime }] : [];
    const dirs = new Set<string>();
    for (const p of planned) {
      for (let dir = posix.dirname(p.path); dir !== '.'; dir = posix.dirname(dir)) {
        if (dirs.has(dir)) continue;
        dirs.add(dir);
        entries.push({ path: `${prefix}${dir}/`, type: 'directory', mtime: layout.mtime });
      }
      entries.push({
        path: `${prefix}${p.path}`,
        type: 'file',
        size: p.size,
        mode: p.mode,
        mtime: layout.mtime,
        content: () => {
          const body = p.open();
          if (Buffer.isBuffer(body)) {
            hashes.set(p.path, createHash('sha256').update(body).digest('hex'));
            return new PassThrough().end(body);
          }
          const hash = new OffThreadSha256();
          workers.push(hash);
          const tap = hash.tap();
          tap.on('end', () => hashed.push(hash.digest().then((hex) => void hashes.set(p.path, hex))));
          body.on('error', (err) => tap.destroy(err));
          return body.pipe(tap);
        },
      });
    }
    const topEntries = entries.filter((e) => e.path === prefix || e.path === `${prefix}${INVENTORY_FILE}`);
    const ordered = [...topEntries, ...sortTarEntries(entries.filter((e) => !topEntries.includes(e)))];
    ordered.push({
      path: `${prefix}${SHA256SUMS_FILE}`,
      type: 'file',
      size: sumsSize,
      mtime: layout.mtime,
      content: async () => {
        await Promise.all(hashed);
        return new PassThrough().end(sums());
      },
    });

    // The archive as a whole is hashed only when asked: it is a second sha256 pass over every byte, the
    // most expensive step on two cores; publish hashes the file it uploads.
    const archiveHash = layout.hashArchive ? new OffThreadSha256() : undefined;
    if (archiveHash) workers.push(archiveHash);
    await pipeline([
      tarStream(ordered),
      compressor(compressionOf(layout.output)),
      ...(archiveHash ? [archiveHash.tap()] : []),
      createWriteStream(temp, { highWaterMark: 1 << 20 }),
    ]);
    const digest = archiveHash ? `sha256:${await archiveHash.digest()}` : undefined;
    const size = (await stat(temp)).size;
    await rename(temp, layout.output);
    const files = planned.map((p) => ({ path: p.path, sha256: hashes.get(p.path)!, size: p.size })).sort(byPath);
    return { file: layout.output, size, files, ...(digest ? { digest } : {}) };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    await Promise.all(workers.map((w) => w.dispose()));
    await rm(workDir, { recursive: true, force: true });
    forgetTemp(workDir);
  }
}
