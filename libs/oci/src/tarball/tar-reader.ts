import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { HeaderData } from 'tar';
import { DockyardError } from '@dockyard/errors';
import { BLOCK, paddingFor, tarCodec } from './tar-header';

export type TarMemberType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One member of a tar file on disk, located without reading its data. */
export interface TarMember {
  name: string;
  type: TarMemberType;
  /** The raw tar type (e.g. `3` for a character device) when `type` is `other`. */
  rawType: string;
  size: number;
  mode: number;
  linkpath?: string;
  /** Offset of the data in the file. */
  offset: number;
}

/** PAX and GNU long-name bodies larger than this are refused: no real name or link target needs a megabyte. */
const MAX_EXTENDED_HEADER = 1 << 20;

const TYPES: Record<string, TarMemberType> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'directory',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
};

/** A tar whose headers are damaged or cut short. */
export class TarFormatError extends DockyardError {
  constructor(message: string) {
    super(message, { code: 'TAR_DAMAGED' });
  }
}

/**
 * Member names → where their data sits, read header by header (PAX extended headers and GNU long names
 * included) without reading any data: archives are read in place. `start`/`end` bound a tar nested in a
 * file (a member of an outer tar); offsets are always from the start of the file.
 */
export async function indexTar(path: string, start = 0, end = Infinity): Promise<Map<string, TarMember>> {
  const handle = await open(path, 'r');
  const members = new Map<string, TarMember>();
  const { Header, Pax } = tarCodec();
  try {
    const block = Buffer.alloc(BLOCK);
    let extended: HeaderData | undefined;
    let global: HeaderData | undefined;
    for (let offset = start; ;) {
      const { bytesRead } = offset + BLOCK <= end ? await handle.read(block, 0, BLOCK, offset) : { bytesRead: 0 };
      if (bytesRead < BLOCK || block.every((b) => b === 0)) break;
      const header = new Header(block, 0, extended, global);
      if (!header.cksumValid)
        throw new TarFormatError(`${path}: header at byte ${offset} is damaged (checksum mismatch)`);
      const size = header.size ?? 0;
      const dataOffset = offset + BLOCK;
      offset = dataOffset + size + paddingFor(size);
      if (
        header.type === 'ExtendedHeader' ||
        header.type === 'GlobalExtendedHeader' ||
        header.type === 'NextFileHasLongPath' ||
        header.type === 'NextFileHasLongLinkpath'
      ) {
        if (size > MAX_EXTENDED_HEADER)
          throw new TarFormatError(
            `${path}: extended header at byte ${dataOffset - BLOCK} is ${size} bytes, more than any name needs`,
          );
        const body = Buffer.alloc(size);
        await handle.read(body, 0, size, dataOffset);
        const text = body.toString('utf8');
        if (header.type === 'ExtendedHeader') extended = { ...extended, ...Pax.parse(text, extended, false) };
        else if (header.type === 'GlobalExtendedHeader') global = { ...global, ...Pax.parse(text, global, true) };
        else if (header.type === 'NextFileHasLongPath') extended = { ...extended, path: text.replace(/\0+$/, '') };
        else extended = { ...extended, linkpath: text.replace(/\0+$/, '') };
        continue;
      }
      extended = undefined;
      const name = (header.path ?? '').replace(/^\.\//, '');
      members.set(name, {
        name,
        type: TYPES[header.type] ?? 'other',
        rawType: header.typeKey,
        size,
        mode: header.mode ?? 0,
        linkpath: header.linkpath || undefined,
        offset: dataOffset,
      });
    }
  } finally {
    await handle.close();
  }
  return members;
}

/** Why a member must not be extracted or trusted (absolute, `..`, an escaping link, a device), or undefined when it is safe. */
export function unsafeMemberReason(
  member: Pick<TarMember, 'name' | 'type' | 'rawType' | 'linkpath'>,
): string | undefined {
  const { name } = member;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split('/').includes('..')) return 'has a ".." path component';
  if (member.type === 'other') return `is not a file, directory or link (tar type ${member.rawType})`;
  if (member.type === 'symlink' || member.type === 'hardlink') {
    const target = member.linkpath ?? '';
    if (target.startsWith('/')) return `links to the absolute path ${target}`;
    const resolved =
      member.type === 'symlink' ? posix.normalize(posix.join(posix.dirname(name), target)) : posix.normalize(target);
    if (resolved === '..' || resolved.startsWith('../')) return `links outside the archive (${target})`;
  }
  return undefined;
}
