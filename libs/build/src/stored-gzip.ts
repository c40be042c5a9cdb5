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
    // Whole blocks go out as a header and views of the input: no copy of the data.
    while (this.pendingLength >= BLOCK) {
      this.push(blockHeader(BLOCK, false));
      let left = BLOCK;
      while (left > 0) {
        const head = this.pending[0]!;
        if (head.length <= left) {
          this.push(head);
          this.pending.shift();
          left -= head.length;
        } else {
          this.push(head.subarray(0, left));
          this.pending[0] = head.subarray(left);
          left = 0;
        }
      }
      this.pendingLength -= BLOCK;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.size, 4);
    callback(null, Buffer.concat([blockHeader(this.pendingLength, true), ...this.pending, trailer]));
  }
}
