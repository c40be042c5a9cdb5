import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { compressionOf, compressor, decompressed } from './compression';

describe('compression', () => {
  it('follows the file name', () => {
    expect(['a.tar', 'a.tar.gz', 'a.tgz', 'a.tar.zst'].map(compressionOf)).toEqual(['none', 'gzip', 'gzip', 'zstd']);
    expect(() => compressionOf('a.zip')).toThrow(/\.tar, \.tar\.gz or \.tar\.zst/);
  });

  it('zstd gives the same bytes however the input is chunked, and decompresses back', async () => {
    const data = Buffer.concat([randomBytes(3 << 20), Buffer.alloc(2 << 20, 'a')]);
    const one = await buffer(Readable.from([data]).pipe(compressor('zstd')));
    const parts = Array.from({ length: 50 }, (_, i) => data.subarray(i * 104_858, (i + 1) * 104_858));
    const two = await buffer(Readable.from([...parts, data.subarray(50 * 104_858)]).pipe(compressor('zstd')));
    expect(one.equals(two)).toBe(true);
    expect(one.length).toBeLessThan(data.length);
    expect((await buffer(decompressed(Readable.from([one]), 'zstd'))).equals(data)).toBe(true);
  });
});
