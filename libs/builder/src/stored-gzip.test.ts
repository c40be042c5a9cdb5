import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StoredGzip } from './stored-gzip';

async function storedGzip(chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(new StoredGzip()));
}

describe('StoredGzip', () => {
  it('is valid gzip that zlib inflates back, and the same bytes whatever the input chunking', async () => {
    const data = randomBytes(200_000);
    const whole = await storedGzip([data]);
    const pieces = await storedGzip([
      data.subarray(0, 1),
      data.subarray(1, 70_000),
      data.subarray(70_000, 70_001),
      data.subarray(70_001),
    ]);
    expect(pieces.equals(whole)).toBe(true);
    expect(gunzipSync(whole).equals(data)).toBe(true);
    // 4 blocks of 65535 bytes' worth plus headers: stored, not deflated.
    expect(whole.length).toBe(10 + 200_000 + 4 * 5 + 8);
  });

  it('encodes empty input', async () => {
    expect(gunzipSync(await storedGzip([])).length).toBe(0);
  });
});
