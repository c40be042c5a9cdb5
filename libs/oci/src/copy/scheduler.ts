import { setTimeout as sleep } from 'node:timers/promises';
import { DigestMismatchError, SizeMismatchError, VerifyingStream } from '../digest';
import type { Descriptor } from '../manifest';
import type { ImageSource, ImageTarget } from '../location/types';
import { RegistryError } from '../remote/errors';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from '../transport/retry';
import { EndpointLimits } from './limiter';
import { resumableBlob, SourceReadError } from './resumable-blob';

export interface SchedulerOptions {
  /** Concurrent transfers per registry host or directory (default 16: loopback and LAN registries are latency-bound, not bandwidth-bound). */
  concurrency?: number;
  retry?: RetryPolicy;
}

export interface TransferStats {
  bytes: number;
  blobsCopied: number;
  blobsSkipped: number;
  blobsMounted: number;
}

/** Which side of a copy failed: reading the source or writing the target. */
export class CopyFailure extends Error {
  constructor(readonly side: 'source' | 'target', message: string) {
    super(message);
  }
}

export function sideOf(err: unknown): 'source' | 'target' {
  return err instanceof CopyFailure ? err.side : err instanceof SourceReadError ? 'source' : 'target';
}

function retryable(err: unknown): boolean {
  if (err instanceof RegistryError) return err.status >= 500 || err.status === 429 || err.status === 408 || err.codes.includes('DIGEST_INVALID') || err.codes.includes('BLOB_UPLOAD_INVALID');
  return !(err instanceof CopyFailure);
}

/**
 * One scheduler per run, shared by every image: each blob is transferred once per target store
 * (other repositories of that store mount it), and transfers respect per-endpoint limits.
 */
export class CopyScheduler {
  readonly stats: TransferStats = { bytes: 0, blobsCopied: 0, blobsSkipped: 0, blobsMounted: 0 };
  readonly limits: EndpointLimits;
  private readonly placed = new Map<string, Promise<string>>();
  private readonly retryPolicy: RetryPolicy;

  constructor(options: SchedulerOptions = {}) {
    this.limits = new EndpointLimits(options.concurrency ?? 16);
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
  }

  /** Runs a short request (manifest HEAD/GET/PUT) under the endpoints' limits. */
  request<T>(keys: string[], job: () => Promise<T>): Promise<T> {
    return this.limits.run(keys, job);
  }

  /** Makes `desc` present in the target's repository: skip, mount, or transfer exactly once per store. */
  async ensureBlob(source: ImageSource, target: ImageTarget, desc: Descriptor): Promise<void> {
    const key = `${target.storeKey}\n${desc.digest}`;
    const earlier = this.placed.get(key);
    if (earlier) {
      const repository = await earlier.catch(() => undefined);
      if (repository !== undefined) {
        if (repository === target.repository) return;
        if (await this.request([target.endpointKey], () => target.hasBlob(desc))) return this.count('blobsSkipped');
        if (target.mountBlob && (await this.request([target.endpointKey], () => target.mountBlob!(desc, repository)))) return this.count('blobsMounted');
        return this.transfer(source, target, desc);
      }
    }
    const placing = this.place(source, target, desc).then(() => target.repository);
    this.placed.set(key, placing);
    await placing;
  }

  private async place(source: ImageSource, target: ImageTarget, desc: Descriptor): Promise<void> {
    const exists = await this.request([target.endpointKey], () => target.hasBlob(desc)).catch((err: unknown) => {
      throw new CopyFailure('target', (err as Error).message);
    });
    if (exists) return this.count('blobsSkipped');
    const from = source.mountFrom;
    if (from && target.mountBlob && from.storeKey === target.storeKey && from.repository !== target.repository) {
      if (await this.request([target.endpointKey], () => target.mountBlob!(desc, from.repository)).catch(() => false)) return this.count('blobsMounted');
    }
    await this.transfer(source, target, desc);
  }

  private count(field: 'blobsSkipped' | 'blobsMounted' | 'blobsCopied'): void {
    this.stats[field]++;
  }

  private async transfer(source: ImageSource, target: ImageTarget, desc: Descriptor): Promise<void> {
    const what = `blob ${desc.digest} from ${source.name}`;
    await this.limits.run([source.endpointKey, target.endpointKey], async () => {
      for (let attempt = 1; ; attempt++) {
        let sourceFailure: unknown;
        const body = resumableBlob((offset) => source.openBlob(desc, offset), desc.size, what, this.retryPolicy);
        const verifier = new VerifyingStream(desc, what);
        body.on('error', (err) => {
          sourceFailure = err;
          verifier.destroy(err);
        });
        verifier.on('error', (err) => {
          sourceFailure ??= err;
        });
        body.on('data', (chunk: Buffer) => {
          this.stats.bytes += chunk.length;
        });
        body.pipe(verifier);
        try {
          await target.writeBlob(desc, verifier);
          this.count('blobsCopied');
          return;
        } catch (err) {
          body.destroy();
          const cause = sourceFailure ?? err;
          const corrupt = cause instanceof DigestMismatchError || cause instanceof SizeMismatchError;
          if (attempt >= this.retryPolicy.attempts || !(corrupt || retryable(cause))) {
            if (sourceFailure) throw new CopyFailure('source', (sourceFailure as Error).message);
            throw new CopyFailure('target', `${target.name}: writing ${desc.digest} failed: ${(err as Error).message}`);
          }
          await sleep(backoffMs(attempt - 1, this.retryPolicy));
        }
      }
    });
  }
}
