/** Tar streams are 512-byte blocks: a ustar header, the data, zero padding, and two zero blocks at the end. */
export const BLOCK = 512;

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Bytes an entry of `size` occupies, header included. */
export function entrySpan(size: number): number {
  return BLOCK + size + paddingFor(size);
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/** A ustar header for a regular file (`type` '0') or directory ('5'); names up to 255 bytes via the prefix field. */
export function tarHeader(name: string, size: number, options: { type?: '0' | '5'; mode?: number; mtime?: number } = {}): Buffer {
  const block = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar entry name too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  block.write(base, 0, 100, 'utf8');
  writeOctal(block, options.mode ?? (options.type === '5' ? 0o755 : 0o644), 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeOctal(block, size, 124, 12);
  writeOctal(block, options.mtime ?? 0, 136, 12);
  block.write('        ', 148, 8, 'ascii');
  block.write(options.type ?? '0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

export interface TarEntryInfo {
  name: string;
  size: number;
  type: string;
  /** Offset of the data (after the header) in the archive. */
  offset: number;
}

function readString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** Parses one header block; undefined for the all-zero end marker. Handles ustar prefix and base-256 sizes. */
export function parseTarHeader(block: Buffer, headerOffset: number): TarEntryInfo | undefined {
  if (block.every((b) => b === 0)) return undefined;
  const name = readString(block, 0, 100);
  const prefix = block.subarray(257, 262).toString('ascii') === 'ustar' ? readString(block, 345, 155) : '';
  const sizeField = block.subarray(124, 136);
  const size = sizeField[0]! & 0x80 ? Number(sizeField.readBigUInt64BE(4)) : parseInt(readString(block, 124, 12).trim() || '0', 8);
  return { name: prefix ? `${prefix}/${name}` : name, size, type: String.fromCharCode(block[156] || 48), offset: headerOffset + BLOCK };
}
