import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deterministicGzip, MEMBER_SIZE } from './deterministic-gzip';

function chunked(data: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

const compressed = gzipSync(randomBytes(3 * MEMBER_SIZE));
const text = Buffer.from('apiVersion: v1\nkind: ConfigMap\n'.repeat(80_000));
const input = Buffer.concat([text, compressed, text.subarray(0, 1234)]);

describe('deterministicGzip', () => {
  it('gives the same bytes however the input is chunked, and gunzip restores the input', async () => {
    const a = await buffer(chunked(input, 65536).pipe(deterministicGzip()));
    const b = await buffer(chunked(input, 7919).pipe(deterministicGzip(2)));
    expect(a.equals(b)).toBe(true);
    expect(gunzipSync(a).equals(input)).toBe(true);
  });

  it('stores already-compressed data (grows by well under 1%) and compresses text', async () => {
    const out = await buffer(chunked(compressed, 65536).pipe(deterministicGzip()));
    expect(out.length).toBeLessThan(compressed.length * 1.001);
    expect(out.length).toBeGreaterThan(compressed.length);
    const textOut = await buffer(chunked(text, 65536).pipe(deterministicGzip()));
    expect(textOut.length).toBeLessThan(text.length / 20);
  });
});
