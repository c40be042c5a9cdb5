import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { OffThreadSha256 } from './off-thread-hash';

describe('OffThreadSha256', () => {
  it('gives the sha256 of everything that passed through, in order, past the queue limit', async () => {
    const parts = Array.from({ length: 40 }, () => randomBytes(1 << 20));
    const hash = new OffThreadSha256();
    let passed = 0;
    await pipeline(
      Readable.from(parts),
      hash.tap(),
      new Writable({ write: (c: Buffer, _e, cb) => ((passed += c.length), cb()) }),
    );
    expect(passed).toBe(40 << 20);
    expect(await hash.digest()).toBe(createHash('sha256').update(Buffer.concat(parts)).digest('hex'));
  });
});
