import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

/** RFC 1952 header: deflate, no name, mtime 0, no extra flags, OS 3 (Unix). Fixed, so the output is too. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
const BLOCK = 0xffff;

function blockHeader(length: number, final: boolean): Buffer {
  const head = Buffer.alloc(5);
  head[0] = final ? 1 : 0;
  head.writeUInt16LE(length, 1);
  head.writeUInt16LE(~length & 0xffff, 3);
  return head;
}

/**
 * gzip made of stored (uncompressed) deflate blocks of exactly 65535 bytes: a valid gzip stream every reader
 * accepts, byte-identical for the same input whatever its chunking and whatever zlib version runs. Used for
 * layers whose bytes are already compressed (a registry/ of gzip blobs), where deflating wins nothing.
 * Input arrives in chunks of up to 1 MiB (file reads), so output goes out in buffers of about that size.
 */
export class StoredGzip extends Transform {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private crc = 0;
  private size = 0;

  constructor() {
    super();
    this.push(HEADER);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    this.size = (this.size + chunk.length) >>> 0;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength < BLOCK) return callback();
    // Whole blocks go out together, one buffer per call: thousands of 5-byte headers and 64 KiB pieces would
    // each become a file write.
    const blocks = Math.floor(this.pendingLength / BLOCK);
    const out = Buffer.allocUnsafe(blocks * (BLOCK + 5));
    let at = 0;
    for (let i = 0; i < blocks; i++) {
      out[at] = 0;
      out.writeUInt16LE(BLOCK, at + 1);
      out.writeUInt16LE(~BLOCK & 0xffff, at + 3);
      at += 5;
      for (let left = BLOCK; left > 0;) {
        const head = this.pending[0]!;
        const take = Math.min(left, head.length);
        head.copy(out, at, 0, take);
        at += take;
        left -= take;
        if (take === head.length) this.pending.shift();
        else this.pending[0] = head.subarray(take);
      }
    }
    this.pendingLength -= blocks * BLOCK;
    callback(null, out);
  }

  override _flush(callback: TransformCallback): void {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size, 4);
    callback(null, Buffer.concat([blockHeader(this.pendingLength, true), ...this.pending, trailer]));
  }
}
