import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import { constants, deflateRaw, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const deflateRawAsync = promisify(deflateRaw);

/** Bytes per gzip member: fixed, so the output depends only on the input bytes, never on how they were chunked. */
export const MEMBER_SIZE = 1 << 20;
const SAMPLE = 16 << 10;
/** A chunk whose sample deflates to more than this share of its size is stored, not compressed. */
const INCOMPRESSIBLE = 0.97;

/**
 * Level for one member: layers are already gzip or zstd, and deflating them again grows them
 * (measured in bench/README.md), so chunks that do not shrink in a 16 KiB sample are stored.
 */
async function levelFor(chunk: Buffer): Promise<number> {
  const sample = chunk.subarray(0, SAMPLE);
  const deflated = await deflateRawAsync(sample, { level: 1 });
  return deflated.length > sample.length * INCOMPRESSIBLE ? 0 : 6;
}

async function gzipMember(chunk: Buffer): Promise<Buffer> {
  return gzipAsync(chunk, { level: await levelFor(chunk), memLevel: 8, strategy: constants.Z_DEFAULT_STRATEGY });
}

/**
 * A gzip stream made of independent members of MEMBER_SIZE input bytes (RFC 1952 allows any
 * number; gunzip, Go's compress/gzip and `docker load` read them all). Members are compressed
 * on libuv's thread pool, `parallel` at a time, and written in order: compression uses both
 * cores while the output stays byte-identical run to run.
 */
export function deterministicGzip(parallel = 4): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const inFlight: Promise<Buffer>[] = [];

  function cut(): Buffer {
    const all = Buffer.concat(pending, pendingBytes);
    const member = all.subarray(0, MEMBER_SIZE);
    const rest = all.subarray(member.length);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    return member;
  }

  return new Transform({
    async transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes >= MEMBER_SIZE) {
          inFlight.push(gzipMember(cut()));
          if (inFlight.length >= parallel) this.push(await inFlight.shift()!);
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    async flush(callback: TransformCallback) {
      try {
        if (pendingBytes > 0) inFlight.push(gzipMember(cut()));
        while (inFlight.length) this.push(await inFlight.shift()!);
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
