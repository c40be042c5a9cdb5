import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { spawn } from 'node:child_process';
import { indexTar } from './oci';
import { DockyardError } from '@dockyard/errors';

export type Compression = 'gzip' | 'xz' | 'bzip2' | 'zstd' | 'none';

/** One member of an unpacked archive, readable in place. */
export interface ArchiveMember {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  mode: number;
  size: number;
  linkpath?: string;
  open(): Readable;
}

const MAGIC: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

async function head(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isTarHeader(block: Buffer): boolean {
  return block.length >= 262 && block.subarray(257, 262).toString('latin1') === 'ustar';
}

/** How a file is compressed, judged by its first bytes as Docker does (never by its name). */
export async function detectCompression(path: string): Promise<Compression> {
  const start = await head(path, 8);
  return MAGIC.find(([, magic]) => magic.every((byte, i) => start[i] === byte))?.[0] ?? 'none';
}

async function decompress(path: string, compression: Compression, out: string): Promise<void> {
  if (compression === 'gzip') return pipeline(createReadStream(path), createGunzip(), createWriteStream(out));
  const tool = { xz: 'xz', bzip2: 'bzip2', zstd: 'zstd' }[compression as 'xz' | 'bzip2' | 'zstd'];
  // Debian's xz-utils, bzip2 and zstd: Node 20 has no decoder for these formats.
  const child = spawn(tool, ['-dc', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | string>((resolve) => {
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code) => resolve(code ?? 'a signal'));
  });
  await pipeline(child.stdout, createWriteStream(out)).catch(() => undefined);
  const status = await exit;
  if (status !== 0)
    throw new DockyardError(
      `${path}: ${tool} -dc failed: ${stderr.trim() || status} (install ${tool === 'xz' ? 'xz-utils' : tool})`,
      { code: 'DECOMPRESS_FAILED' },
    );
}

/**
 * The tar `path` holds, decompressed into `scratchDir` when needed; undefined when it is not a tar archive
 * (ADD then copies the file as it is, like Docker).
 */
export async function tarOf(path: string, scratchDir: string, name: string): Promise<string | undefined> {
  const compression = await detectCompression(path);
  if (compression === 'none') return isTarHeader(await head(path, 512)) ? path : undefined;
  const out = join(scratchDir, `${name}.tar`);
  await decompress(path, compression, out);
  return isTarHeader(await head(out, 512)) ? out : undefined;
}

/** A tar member ADD or an image layer may not unpack: outside the root, or not a file, folder or link. */
function archiveError(message: string, cause?: unknown): DockyardError {
  return new DockyardError(message, { code: 'ARCHIVE_UNSAFE', cause });
}

/** The members of a plain tar, the later of two same-named members winning as on extraction. */
export async function archiveMembers(tarPath: string, what: string): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  for (const member of (await indexTar(tarPath)).values()) {
    const name = member.name.replace(/\/+$/, '');
    if (!name || name === '.') continue;
    if (name.startsWith('/') || name.split('/').includes('..'))
      throw archiveError(
        `${what}: member "${member.name}" escapes the destination; repack the archive with relative paths`,
      );
    if (member.type === 'other')
      throw archiveError(
        `${what}: member "${member.name}" is a device or FIFO (tar type ${member.rawType}), which a daemonless build cannot carry; leave it out of the archive`,
      );
    const { offset, size } = member;
    members.push({
      name,
      type: member.type,
      mode: member.mode & 0o7777,
      size: member.type === 'file' ? size : 0,
      linkpath: member.linkpath,
      open: () => createReadStream(tarPath, { start: offset, end: offset + size - 1 }),
    });
  }
  return members;
}
