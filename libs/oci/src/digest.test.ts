import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hasCode } from '@dockyard/errors';
import { describe, expect, it } from 'vitest';
import {
  assertDigest,
  digestHex,
  DigestingStream,
  DigestMismatchError,
  isDigest,
  sha256Digest,
  SizeMismatchError,
  VerifyingStream,
} from './digest';

const HELLO = sha256Digest('hello');

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

describe('digests', () => {
  it('accepts sha256 only, naming where a bad one came from', () => {
    expect(HELLO).toBe('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(isDigest(HELLO)).toBe(true);
    expect(isDigest(HELLO.toUpperCase())).toBe(false);
    expect(isDigest('sha512:abc')).toBe(false);
    expect(assertDigest(HELLO, 'index.json')).toBe(HELLO);
    expect(() => assertDigest('sha256:xyz', 'index.json')).toThrow(
      'index.json: unsupported or malformed digest "sha256:xyz" (expected sha256:<64 hex>)',
    );
    expect(digestHex(HELLO)).toBe(HELLO.slice(7));
  });

  it('passes verified bytes through and holds the last chunk back from a corrupt or short stream', async () => {
    const ok = new VerifyingStream({ digest: HELLO, size: 5 }, 'blob');
    expect(
      Buffer.concat(await collect(Readable.from([Buffer.from('hel'), Buffer.from('lo')]).pipe(ok))).toString(),
    ).toBe('hello');

    const corrupt = new VerifyingStream({ digest: HELLO, size: 5 }, 'blob a');
    const seen: Buffer[] = [];
    corrupt.on('data', (chunk: Buffer) => seen.push(chunk));
    const failure = await pipeline(Readable.from([Buffer.from('hel'), Buffer.from('LO')]), corrupt).catch((e) => e);
    expect(failure).toBeInstanceOf(DigestMismatchError);
    expect(hasCode(failure, 'DIGEST_MISMATCH')).toBe(true);
    expect(Buffer.concat(seen).toString()).toBe('hel');

    const short = new VerifyingStream({ digest: HELLO, size: 5 }, 'blob b');
    const shortFailure = await pipeline(Readable.from([Buffer.from('hell')]), short).catch((e) => e);
    expect(shortFailure).toBeInstanceOf(SizeMismatchError);
    expect((shortFailure as Error).message).toBe('blob b: received 4 bytes, expected 5; the data was not stored');
  });

  it('learns the digest and size of what passes through', async () => {
    const digesting = new DigestingStream();
    await collect(Readable.from([Buffer.from('hel'), Buffer.from('lo')]).pipe(digesting));
    expect(digesting.size).toBe(5);
    expect(digesting.digest()).toBe(HELLO);
  });
});
