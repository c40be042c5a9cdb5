import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, type RetryPolicy } from '../transport/retry';

export class SourceReadError extends Error {
  constructor(message: string, override readonly cause: unknown) {
    super(message);
  }
}

/**
 * A blob body that survives broken connections: when the stream fails or ends early it is
 * reopened with a Range from the last byte received, up to the policy's attempts.
 */
export function resumableBlob(open: (offset: number) => Promise<Readable>, size: number, what: string, policy: RetryPolicy): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let offset = 0;
    let failures = 0;
    for (;;) {
      try {
        const body = await open(offset);
        for await (const chunk of body) {
          offset += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (offset >= size) return;
        throw new Error(`connection closed after ${offset} of ${size} bytes`);
      } catch (err) {
        failures++;
        if (failures >= policy.attempts) throw new SourceReadError(`${what}: ${(err as Error).message} (gave up after ${failures} attempts)`, err);
        await sleep(backoffMs(failures - 1, policy));
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
