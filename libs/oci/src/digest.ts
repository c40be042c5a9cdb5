import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DockyardError } from '@dockyard/errors';

const SHA256 = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return SHA256.test(value);
}

/** Only sha256 is accepted: it is what every registry and OCI layout uses. */
export function assertDigest(value: string, where: string): string {
  if (!isDigest(value))
    throw new DockyardError(`${where}: unsupported or malformed digest "${value}" (expected sha256:<64 hex>)`, {
      code: 'DIGEST_MALFORMED',
    });
  return value;
}

export function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export class DigestMismatchError extends DockyardError {
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly what: string,
  ) {
    super(
      `${what}: content digest ${actual} does not match the expected ${expected}; the data was corrupted in transit and was not stored`,
      { code: 'DIGEST_MISMATCH' },
    );
  }
}

export class SizeMismatchError extends DockyardError {
  constructor(
    readonly expected: number,
    readonly actual: number,
    readonly what: string,
  ) {
    super(`${what}: received ${actual} bytes, expected ${expected}; the data was not stored`, {
      code: 'SIZE_MISMATCH',
    });
  }
}

/**
 * Passes bytes through while hashing them. The last chunk is held back until size and digest
 * match, so a receiver never sees the complete content of a corrupted blob: a registry upload
 * stays short and a file write never reaches 'finish'.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private received = 0;
  private held: Buffer | undefined;

  constructor(
    private readonly expected: { digest: string; size: number },
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.expected.size) {
      callback(new SizeMismatchError(this.expected.size, this.received, this.what));
      return;
    }
    this.hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.received !== this.expected.size) {
      callback(new SizeMismatchError(this.expected.size, this.received, this.what));
      return;
    }
    const actual = `sha256:${this.hash.digest('hex')}`;
    if (actual !== this.expected.digest) {
      callback(new DigestMismatchError(this.expected.digest, actual, this.what));
      return;
    }
    callback(null, this.held);
  }
}

/** Passes bytes through unchanged, counting and hashing them: for content whose digest is learned as it is written. */
export class DigestingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  constructor(prefix?: { hash: Hash; size: number }) {
    super();
    if (prefix) {
      this.hash = prefix.hash;
      this.size = prefix.size;
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  /** Valid once the stream has ended. */
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
