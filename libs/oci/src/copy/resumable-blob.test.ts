import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../transport/errors';
import { AttemptBudget } from '../transport/retry';
import { resumableBlob, SourceReadError } from './resumable-blob';

const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 };
const DATA = Buffer.from('0123456789');

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A body that sends `count` bytes from `offset` and then breaks like a dropped connection. */
function breaking(offset: number, count: number): Readable {
  return new Readable({
    read() {
      this.push(DATA.subarray(offset, offset + count));
      this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    },
  });
}

describe('resumableBlob', () => {
  it('reopens a broken body at the byte it reached, each open taking one attempt', async () => {
    const offsets: number[] = [];
    const budget = new AttemptBudget(policy);
    const body = resumableBlob(
      async (offset) => {
        offsets.push(offset);
        return offsets.length === 1 ? breaking(offset, 4) : Readable.from([DATA.subarray(offset)]);
      },
      DATA.length,
      'blob a',
      budget,
    );
    expect((await read(body)).toString()).toBe('0123456789');
    expect(offsets).toEqual([0, 4]);
    expect(budget.spent).toBe(2);
  });

  it('gives up when the attempts are spent, and at once on an answer trying again cannot change', async () => {
    const exhausted = resumableBlob(
      async (offset) => breaking(offset, 1),
      DATA.length,
      'blob b',
      new AttemptBudget(policy),
    );
    const failure = await read(exhausted).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceReadError);
    expect((failure as Error).message).toMatch(/^blob b: .*\(gave up after 3 attempts\)$/);

    let opens = 0;
    const notFound = new RegistryError({
      status: 404,
      url: new URL('https://reg.example.com/v2/a/blobs/x'),
      message: 'GET blob failed with HTTP 404',
    });
    const refused = resumableBlob(
      async () => {
        opens++;
        throw notFound;
      },
      DATA.length,
      'blob c',
      new AttemptBudget(policy),
    );
    const gone = await read(refused).catch((e: unknown) => e);
    expect(opens).toBe(1);
    expect((gone as Error).message).toBe(`blob c: ${notFound.message}`);
    expect((gone as Error).cause).toBe(notFound);
  });
});
